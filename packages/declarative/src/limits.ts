/**
 * The value of the `web_push` member that marks a JSON push message as declarative (Push API,
 * "declarative push message"): the number of RFC 8030, so ordinary JSON payloads never match.
 *
 * @example
 * ```ts
 * if (message.web_push === DECLARATIVE_WEB_PUSH) showIt(message.notification);
 * ```
 */
export const DECLARATIVE_WEB_PUSH = 8030;

/**
 * The largest declarative message, in bytes of UTF-8 JSON: a push message body is at most
 * 4096 bytes (RFC 8030 section 7.2), and `aes128gcm` with one record spends 86 of them on the
 * RFC 8188 header (salt 16, record size 4, key id length 1, key id 65), 16 on the AES-GCM tag
 * and 1 on the padding delimiter (RFC 8291 section 4), which leaves 3993. Padding, or the legacy
 * `aesgcm` encoding, changes the budget: the sender checks the final size again.
 *
 * @example
 * ```ts
 * const room = MAX_DECLARATIVE_SIZE - new TextEncoder().encode(json).length;
 * ```
 */
export const MAX_DECLARATIVE_SIZE = 3993;
