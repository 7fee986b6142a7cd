/**
 * Errors thrown by `@swp/vapid`.
 *
 * {@link VapidError} extends the shared `SwpError` of `@swp/subscription` (bundled into this
 * package), so it carries a stable string `code` and the marker `isSwpError` recognises in
 * any copy of any `@swp/*` package. No message ever contains a private key.
 *
 * @module
 */

import { SwpError } from "@swp/subscription";

/**
 * Every code a {@link VapidError} can carry.
 *
 * - `ERR_VAPID_KEY_LENGTH`: a key has the wrong number of bytes (public 65, private 32).
 * - `ERR_VAPID_KEY_INVALID`: a key is malformed (not base64url, not 0x04-prefixed, a private
 *   scalar of zero or not below the group order, a JWK of the wrong type or curve).
 * - `ERR_VAPID_KEY_NOT_ON_CURVE`: a public key that is not a point on P-256.
 * - `ERR_VAPID_KEY_MISMATCH`: a public key that is not the one of the private key.
 * - `ERR_VAPID_PEM_INVALID`: PEM or DER that cannot be read, or holds no P-256 key.
 * - `ERR_VAPID_KEY_FILE`: a key file that cannot be read or written (`path` names it).
 * - `ERR_VAPID_SUBJECT`: a `subject` that is not `mailto:` + address or an `https:` URL.
 * - `ERR_VAPID_EXPIRATION`: an expiration of zero or less, or more than 24 hours.
 * - `ERR_VAPID_ENDPOINT`: an endpoint or audience that is not an absolute http(s) URL.
 * - `ERR_VAPID_TOKEN_MALFORMED`: an Authorization header or JWT that cannot be parsed.
 * - `ERR_VAPID_ALGORITHM`: a JWT whose header is not `{"typ":"JWT","alg":"ES256"}`.
 * - `ERR_VAPID_SIGNATURE`: a JWT whose signature does not verify with the given key.
 * - `ERR_VAPID_AUDIENCE`: a JWT for another audience.
 * - `ERR_VAPID_EXPIRED`: a JWT whose `exp` has passed (or is missing).
 * - `ERR_VAPID_EXPIRATION_TOO_FAR`: a JWT whose `exp` is more than 24 hours ahead.
 */
export type VapidErrorCode =
  | "ERR_VAPID_KEY_LENGTH"
  | "ERR_VAPID_KEY_INVALID"
  | "ERR_VAPID_KEY_NOT_ON_CURVE"
  | "ERR_VAPID_KEY_MISMATCH"
  | "ERR_VAPID_PEM_INVALID"
  | "ERR_VAPID_KEY_FILE"
  | "ERR_VAPID_SUBJECT"
  | "ERR_VAPID_EXPIRATION"
  | "ERR_VAPID_ENDPOINT"
  | "ERR_VAPID_TOKEN_MALFORMED"
  | "ERR_VAPID_ALGORITHM"
  | "ERR_VAPID_SIGNATURE"
  | "ERR_VAPID_AUDIENCE"
  | "ERR_VAPID_EXPIRED"
  | "ERR_VAPID_EXPIRATION_TOO_FAR";

/**
 * The one error class of `@swp/vapid` (RFC 8292): bad keys, bad subjects, bad tokens and
 * unusable key files, told apart by {@link VapidErrorCode | `code`}.
 *
 * @example
 * ```ts
 * try {
 *   createVapid({ keys, subject: "mailto: admin@example.com" })
 * } catch (e) {
 *   if (e instanceof VapidError && e.code === "ERR_VAPID_SUBJECT") console.error(e.message)
 * }
 * ```
 */
export class VapidError extends SwpError<VapidErrorCode> {
  /** The key file involved, for `ERR_VAPID_KEY_FILE` (and PEM errors while loading a file). */
  readonly path: string | undefined;

  constructor(code: VapidErrorCode, message: string, options?: { cause?: unknown; path?: string }) {
    super(code, message, options);
    this.path = options?.path;
  }
}
