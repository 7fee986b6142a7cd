import { SwpError } from "@swp/subscription";

/**
 * Stable codes carried by {@link EceError}. Match on `code`, never on the message.
 *
 * | code | when |
 * | --- | --- |
 * | `ERR_ECE_INVALID_PUBLIC_KEY` | `uaPublic` / `asPublic` is not a 65-byte uncompressed P-256 point |
 * | `ERR_ECE_INVALID_PRIVATE_KEY` | `uaPrivate` / `asKeyPair.privateKey` is not a 32-byte P-256 scalar |
 * | `ERR_ECE_INVALID_AUTH_SECRET` | `authSecret` is not 16 bytes |
 * | `ERR_ECE_INVALID_KEY` | the RFC 8188 content key (`key`) is not 16 bytes |
 * | `ERR_ECE_INVALID_SALT` | `salt` is not 16 bytes, or missing where `aesgcm` needs it |
 * | `ERR_ECE_INVALID_KEY_ID` | `keyId` is longer than 255 bytes |
 * | `ERR_ECE_INVALID_RECORD_SIZE` | `recordSize` is below 18 or above 2^32 - 1 |
 * | `ERR_ECE_PAYLOAD_TOO_LARGE` | plaintext + padding would make the push body exceed 4096 bytes |
 * | `ERR_ECE_DECRYPT` | the body cannot be decrypted: wrong key, tampered or truncated bytes, bad header or padding |
 * | `ERR_ECE_UNSUPPORTED_RUNTIME` | the runtime has no WebCrypto (`globalThis.crypto.subtle`) |
 * | `ERR_ECE_CRYPTO` | the runtime's crypto failed unexpectedly on input that passed validation |
 */
export type EceErrorCode =
  | "ERR_ECE_INVALID_PUBLIC_KEY"
  | "ERR_ECE_INVALID_PRIVATE_KEY"
  | "ERR_ECE_INVALID_AUTH_SECRET"
  | "ERR_ECE_INVALID_KEY"
  | "ERR_ECE_INVALID_SALT"
  | "ERR_ECE_INVALID_KEY_ID"
  | "ERR_ECE_INVALID_RECORD_SIZE"
  | "ERR_ECE_PAYLOAD_TOO_LARGE"
  | "ERR_ECE_DECRYPT"
  | "ERR_ECE_UNSUPPORTED_RUNTIME"
  | "ERR_ECE_CRYPTO";

/**
 * The one error class of `@swp/ece`, on the shared `SwpError` base of `@swp/subscription`
 * (bundled into this package, so it stays one package with no dependencies). Messages say
 * which field was wrong, what was expected and the size or kind received; they never contain
 * key material.
 *
 * @example
 * ```ts
 * try {
 *   await decrypt(body, keys);
 * } catch (error) {
 *   if (error instanceof EceError && error.code === "ERR_ECE_DECRYPT") dropMessage();
 *   else throw error;
 * }
 * ```
 */
export class EceError extends SwpError<EceErrorCode> {}
