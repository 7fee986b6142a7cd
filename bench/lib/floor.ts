// The raw node:crypto floor of one Web Push message: exactly the operations RFC 8291 and
// RFC 8188 require, inline, with nothing else (no validation, no API layers). Our encryption
// is measured against it.

import { createCipheriv, createECDH, createHmac, randomFillSync } from "node:crypto";

const KEY_INFO = Buffer.from("WebPush: info\0"); // RFC 8291 section 3.4
const CEK_INFO = Buffer.from("Content-Encoding: aes128gcm\0\x01"); // RFC 8188 section 2.2, T(1)
const NONCE_INFO = Buffer.from("Content-Encoding: nonce\0\x01"); // RFC 8188 section 2.3, T(1)
const ONE = Buffer.from([1]);
const LAST_RECORD = Buffer.from([2]); // RFC 8188 section 2: padding delimiter of the last record

/** Encrypts `plaintext` for (uaPublic, authSecret) as one aes128gcm record; returns the body. */
export function encryptFloor(
  plaintext: Uint8Array,
  uaPublic: Uint8Array,
  authSecret: Uint8Array,
): Uint8Array {
  const ecdh = createECDH("prime256v1");
  const asPublic = ecdh.generateKeys();
  const secret = ecdh.computeSecret(uaPublic);
  const salt = randomFillSync(Buffer.alloc(16));
  // HKDF-SHA-256 with one output block each (RFC 5869): PRK = HMAC(salt, IKM), OKM = HMAC(PRK, info || 1).
  const prkKey = createHmac("sha256", authSecret).update(secret).digest();
  const ikm = createHmac("sha256", prkKey)
    .update(KEY_INFO)
    .update(uaPublic)
    .update(asPublic)
    .update(ONE)
    .digest();
  const prk = createHmac("sha256", salt).update(ikm).digest();
  const cek = createHmac("sha256", prk).update(CEK_INFO).digest().subarray(0, 16);
  const nonce = createHmac("sha256", prk).update(NONCE_INFO).digest().subarray(0, 12);
  const cipher = createCipheriv("aes-128-gcm", cek, nonce);
  const head = Buffer.alloc(86); // salt(16) rs(4) idlen(1) keyid(65), RFC 8188 section 2.1
  salt.copy(head, 0);
  head.writeUInt32BE(4096, 16);
  head[20] = 65;
  asPublic.copy(head, 21);
  return Buffer.concat([
    head,
    cipher.update(plaintext),
    cipher.update(LAST_RECORD),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
}
