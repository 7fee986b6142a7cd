import { aes128gcmKeys, aesgcmKeys, recordNonce } from "../lib/key-schedule.ts";
import type { Primitives } from "../lib/primitives.ts";
import type { SubscriptionKeys } from "../types.ts";

/**
 * Builds an RFC 8188 body from raw record plaintexts (delimiters and padding included), so
 * tests can produce correctly authenticated records that break the padding rules.
 */
export async function craftContent(
  p: Primitives,
  key: Uint8Array,
  recordSize: number,
  records: Uint8Array[],
): Promise<Uint8Array> {
  const salt = new Uint8Array(16).fill(7);
  const keys = await aes128gcmKeys(p, salt, key);
  const aes = p.aesGcm(keys.cek);
  const header = new Uint8Array(21);
  header.set(salt);
  new DataView(header.buffer).setUint32(16, recordSize);
  const sealed = await Promise.all(
    records.map((r, seq) => aes.seal(recordNonce(keys.nonce, seq), r)),
  );
  const out = new Uint8Array(21 + sealed.reduce((n, s) => n + s.length, 0));
  out.set(header);
  let at = 21;
  for (const s of sealed) {
    out.set(s, at);
    at += s.length;
  }
  return out;
}

/** Builds an aesgcm body for `keys` from raw record plaintexts (padding-length prefix included). */
export async function craftLegacy(
  p: Primitives,
  keys: SubscriptionKeys,
  records: Uint8Array[],
): Promise<{ body: Uint8Array; salt: Uint8Array; asPublic: Uint8Array }> {
  const salt = new Uint8Array(16).fill(5);
  const { publicKey: asPublic, secret } = await p.agree(keys.uaPublic);
  const content = await aesgcmKeys(p, secret, keys.authSecret, salt, keys.uaPublic, asPublic);
  const aes = p.aesGcm(content.cek);
  const sealed = await Promise.all(
    records.map((r, seq) => aes.seal(recordNonce(content.nonce, seq), r)),
  );
  const body = new Uint8Array(sealed.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of sealed) {
    body.set(s, at);
    at += s.length;
  }
  return { body, salt, asPublic: new Uint8Array(asPublic) };
}
