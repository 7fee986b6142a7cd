import { concat, utf8 } from "./bytes.ts";
import { KEY_LENGTH, NONCE_LENGTH, PUBLIC_KEY_LENGTH } from "./constants.ts";
import type { Primitives, SyncPrimitives } from "./primitives.ts";

// RFC 8188 §2.2 and §2.3: the info strings for the content-encryption key and the nonce.
const AES128GCM_CEK_INFO = /* @__PURE__ */ utf8("Content-Encoding: aes128gcm\0");
const AES128GCM_NONCE_INFO = /* @__PURE__ */ utf8("Content-Encoding: nonce\0");
// RFC 8291 §3.4: key_info = "WebPush: info" || 0x00 || ua_public || as_public.
const WEB_PUSH_INFO = /* @__PURE__ */ utf8("WebPush: info\0");
// draft-ietf-webpush-encryption-04 §3.3 and draft-ietf-httpbis-encryption-encoding-03 §4.2.
const AESGCM_AUTH_INFO = /* @__PURE__ */ utf8("Content-Encoding: auth\0");
const AESGCM_CEK_INFO = /* @__PURE__ */ utf8("Content-Encoding: aesgcm\0");
const AESGCM_NONCE_INFO = /* @__PURE__ */ utf8("Content-Encoding: nonce\0");
const AESGCM_CONTEXT_LABEL = /* @__PURE__ */ utf8("P-256\0");

/** The content-encryption key and base nonce of one message. */
export interface ContentKeys {
  cek: Uint8Array;
  nonce: Uint8Array;
}

/** RFC 8291 §3.4: key_info, the HKDF info binding both public keys into the IKM. */
export function webPushKeyInfo(uaPublic: Uint8Array, asPublic: Uint8Array): Uint8Array {
  return concat(WEB_PUSH_INFO, uaPublic, asPublic);
}

/** RFC 8291 §3.4: IKM = HKDF(auth_secret, ecdh_secret, key_info, 32). */
export function webPushIkm(
  p: Primitives,
  ecdhSecret: Uint8Array,
  authSecret: Uint8Array,
  uaPublic: Uint8Array,
  asPublic: Uint8Array,
): Promise<Uint8Array> {
  return p.hkdf(authSecret, ecdhSecret, webPushKeyInfo(uaPublic, asPublic), 32);
}

/** RFC 8188 §2.2–2.3: CEK = HKDF(salt, IKM, cek_info, 16), NONCE = HKDF(salt, IKM, nonce_info, 12). */
export async function aes128gcmKeys(
  p: Primitives,
  salt: Uint8Array,
  ikm: Uint8Array,
): Promise<ContentKeys> {
  const [cek, nonce] = await Promise.all([
    p.hkdf(salt, ikm, AES128GCM_CEK_INFO, KEY_LENGTH),
    p.hkdf(salt, ikm, AES128GCM_NONCE_INFO, NONCE_LENGTH),
  ]);
  return { cek, nonce };
}

/**
 * RFC 8291 §3.4 and RFC 8188 §2.2–2.3 on synchronous primitives. CEK and NONCE share
 * PRK = HMAC(salt, IKM), so it is extracted once: one HMAC fewer per message than two full
 * HKDF calls, with the same output.
 */
export function webPushKeysSync(
  s: SyncPrimitives,
  ecdhSecret: Uint8Array,
  authSecret: Uint8Array,
  uaPublic: Uint8Array,
  asPublic: Uint8Array,
  salt: Uint8Array,
): ContentKeys {
  const ikm = s.expand(s.extract(authSecret, ecdhSecret), webPushKeyInfo(uaPublic, asPublic), 32);
  const prk = s.extract(salt, ikm);
  return {
    cek: s.expand(prk, AES128GCM_CEK_INFO, KEY_LENGTH),
    nonce: s.expand(prk, AES128GCM_NONCE_INFO, NONCE_LENGTH),
  };
}

/**
 * Legacy aesgcm (draft-ietf-webpush-encryption-04 §3): IKM = HKDF(auth, ecdh, "…auth\0", 32);
 * context = "P-256\0" || len(ua) || ua || len(as) || as; CEK and NONCE take the context as an
 * info suffix.
 */
export async function aesgcmKeys(
  p: Primitives,
  ecdhSecret: Uint8Array,
  authSecret: Uint8Array,
  salt: Uint8Array,
  uaPublic: Uint8Array,
  asPublic: Uint8Array,
): Promise<ContentKeys> {
  const ikm = await p.hkdf(authSecret, ecdhSecret, AESGCM_AUTH_INFO, 32);
  const length = new Uint8Array([PUBLIC_KEY_LENGTH >> 8, PUBLIC_KEY_LENGTH & 0xff]);
  const context = concat(AESGCM_CONTEXT_LABEL, length, uaPublic, length, asPublic);
  const [cek, nonce] = await Promise.all([
    p.hkdf(salt, ikm, concat(AESGCM_CEK_INFO, context), KEY_LENGTH),
    p.hkdf(salt, ikm, concat(AESGCM_NONCE_INFO, context), NONCE_LENGTH),
  ]);
  return { cek, nonce };
}

/** RFC 8188 §2.3: the nonce of record `seq` is NONCE XOR seq (seq as a 96-bit big-endian int). */
export function recordNonce(nonce: Uint8Array, seq: number): Uint8Array {
  if (seq === 0) return nonce;
  const out = new Uint8Array(nonce);
  const low = seq % 0x100000000;
  const high = Math.floor(seq / 0x100000000);
  out[6]! ^= (high >>> 8) & 0xff;
  out[7]! ^= high & 0xff;
  out[8]! ^= (low >>> 24) & 0xff;
  out[9]! ^= (low >>> 16) & 0xff;
  out[10]! ^= (low >>> 8) & 0xff;
  out[11]! ^= low & 0xff;
  return out;
}
