import { bindEceApi } from "./lib/bind-api.ts";
import { webCryptoPrimitives } from "./lib/primitives-webcrypto.ts";
import type {
  DecryptContentOptions,
  DecryptOptions,
  EncryptContentOptions,
  EncryptOptions,
  EncryptResult,
  SubscriptionKeys,
} from "./types.ts";

const ece = /* @__PURE__ */ bindEceApi(webCryptoPrimitives);

/**
 * Encrypts a push message for one subscription (RFC 8291 §3–4; legacy `aesgcm` per
 * draft-ietf-webpush-encryption-04). Every call uses a fresh sender key pair and a random salt
 * and produces a single record (`rs` = 4096). Refuses a plaintext that would make the body
 * exceed 4096 bytes (`ERR_ECE_PAYLOAD_TOO_LARGE`; 3993 bytes of plaintext for `aes128gcm`).
 *
 * @example
 * ```ts
 * const { body, headers } = await encrypt(new TextEncoder().encode("Hello"), {
 *   uaPublic: base64urlDecode(subscription.keys.p256dh),
 *   authSecret: base64urlDecode(subscription.keys.auth),
 * });
 * await fetch(subscription.endpoint, { method: "POST", body, headers: { ...headers, TTL: "60" } });
 * ```
 */
export function encrypt(plaintext: Uint8Array, options: EncryptOptions): Promise<EncryptResult> {
  return ece.encrypt(plaintext, options);
}

/**
 * Decrypts a push message body as a browser does (RFC 8291 §3–4; RFC 8188 §2, multi-record
 * included). Any wrong key, modified byte, bad header or bad padding rejects with one
 * `ERR_ECE_DECRYPT`; no partial plaintext is ever returned. For `aesgcm` pass the `salt` and
 * `asPublic` from the `Encryption` and `Crypto-Key` headers.
 *
 * @example
 * ```ts
 * const keys = await generateSubscriptionKeys();
 * const { body } = await encrypt(message, keys);
 * const plaintext = await decrypt(body, keys);
 * ```
 */
export function decrypt(body: Uint8Array, options: DecryptOptions): Promise<Uint8Array> {
  return ece.decrypt(body, options);
}

/**
 * Low-level RFC 8188 §2 `aes128gcm` encryption with a known 16-byte key: writes the header
 * (salt, record size, key id) and as many records as `recordSize` requires.
 *
 * @example
 * ```ts
 * const body = await encryptContent(new TextEncoder().encode("I am the walrus"), {
 *   key, recordSize: 25, keyId: new TextEncoder().encode("a1"), padding: 1,
 * });
 * ```
 */
export function encryptContent(
  plaintext: Uint8Array,
  options: EncryptContentOptions,
): Promise<Uint8Array> {
  return ece.encryptContent(plaintext, options);
}

/**
 * Low-level RFC 8188 §2 `aes128gcm` decryption with a known 16-byte key; accepts any number of
 * records. Failures reject with `ERR_ECE_DECRYPT`.
 *
 * @example
 * ```ts
 * const plaintext = await decryptContent(body, { key });
 * ```
 */
export function decryptContent(
  body: Uint8Array,
  options: DecryptContentOptions,
): Promise<Uint8Array> {
  return ece.decryptContent(body, options);
}

/**
 * Creates what a browser holds for a push subscription (RFC 8291 §2–3): a P-256 key pair and a
 * 16-byte auth secret. Useful for tests and for push services written in JavaScript.
 *
 * @example
 * ```ts
 * const { uaPublic, authSecret } = await generateSubscriptionKeys();
 * const p256dh = base64urlEncode(uaPublic);
 * ```
 */
export function generateSubscriptionKeys(): Promise<SubscriptionKeys> {
  return ece.generateSubscriptionKeys();
}
