import { plaintextLimit } from "./lib/validate.ts";
import type { ContentEncoding } from "./types.ts";

export { MAX_PUSH_BODY } from "./lib/constants.ts";

/**
 * The largest plaintext `encrypt` accepts for an encoding and padding, so that the push body
 * stays within `MAX_PUSH_BODY` = 4096 bytes (RFC 8291 §4: 4096 - 86-byte header - 16-byte tag -
 * 1 delimiter = 3993 for `aes128gcm`; 4096 - 16-byte tag - 2-byte padding length = 4078 for
 * `aesgcm`), minus the padding.
 *
 * @example
 * ```ts
 * maxPlaintextSize("aes128gcm"); // 3993
 * maxPlaintextSize("aesgcm", 100); // 3978
 * ```
 */
export function maxPlaintextSize(encoding: ContentEncoding, padding = 0): number {
  return plaintextLimit(encoding, padding, "maxPlaintextSize");
}
