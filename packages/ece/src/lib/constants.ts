/**
 * The largest push message body, in bytes: RFC 8030 §7.2 lets push services refuse more, and
 * RFC 8291 §4 makes 4096 the size every service must accept.
 *
 * @example
 * ```ts
 * if (body.length > MAX_PUSH_BODY) throw new Error("too large for Web Push");
 * ```
 */
export const MAX_PUSH_BODY = 4096;

/** AES-128-GCM authentication tag (RFC 8188 §2: "AEAD_AES_128_GCM ... 16 octets"). */
export const TAG_LENGTH = 16;
export const KEY_LENGTH = 16;
export const NONCE_LENGTH = 12;
export const SALT_LENGTH = 16;
export const AUTH_SECRET_LENGTH = 16;
/** Uncompressed P-256 point: 0x04 || X(32) || Y(32). */
export const PUBLIC_KEY_LENGTH = 65;
export const PRIVATE_KEY_LENGTH = 32;

/** RFC 8188 §2.1: salt(16) || rs(uint32) || idlen(uint8); the key id follows. */
export const HEADER_FIXED_LENGTH = 21;
/** RFC 8188 §2.1: the smallest record that can carry a tag, a delimiter and one octet. */
export const MIN_RECORD_SIZE = 18;
export const MAX_RECORD_SIZE = 0xffffffff;
export const MAX_KEY_ID_LENGTH = 255;

/** RFC 8291 §4: the record size the examples (and every browser) use for a push message. */
export const WEB_PUSH_RECORD_SIZE = 4096;
/** RFC 8291 §4: header = 21 + a 65-byte key id. */
export const WEB_PUSH_HEADER_LENGTH = HEADER_FIXED_LENGTH + PUBLIC_KEY_LENGTH;

/** draft-ietf-webpush-encryption-04 (aesgcm): a 2-byte padding length prefixes each record. */
export const AESGCM_PAD_LENGTH_SIZE = 2;
/** draft-ietf-httpbis-encryption-encoding-03 §3.1: default rs for aesgcm (plaintext octets). */
export const AESGCM_RECORD_SIZE = 4096;
