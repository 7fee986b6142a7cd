import { EceError } from "../errors.ts";
import { AESGCM_PAD_LENGTH_SIZE, AESGCM_RECORD_SIZE, TAG_LENGTH } from "./constants.ts";
import { type ContentKeys, recordNonce } from "./key-schedule.ts";
import type { Primitives } from "./primitives.ts";

// Legacy "aesgcm" records (draft-ietf-httpbis-encryption-encoding-03 §2, as profiled by
// draft-ietf-webpush-encryption-04): each record is pad_length(uint16 BE) || zeros || data,
// sealed with AES-128-GCM; rs counts plaintext octets (4096 by default), so a full record is
// rs + 16 octets and a body that ends exactly on a record boundary has lost its final record.

function decryptError(message: string, cause?: unknown): EceError {
  return new EceError("ERR_ECE_DECRYPT", message, cause === undefined ? undefined : { cause });
}

/** Encrypts one aesgcm record (push messages are a single record). */
export async function sealLegacy(
  p: Primitives,
  keys: ContentKeys,
  plaintext: Uint8Array,
  padding: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const record = new Uint8Array(AESGCM_PAD_LENGTH_SIZE + padding + plaintext.length);
  record[0] = padding >>> 8;
  record[1] = padding & 0xff;
  record.set(plaintext, AESGCM_PAD_LENGTH_SIZE + padding);
  return p.aesGcm(keys.cek).seal(keys.nonce, record);
}

/** Decrypts every aesgcm record of a body and strips the padding, all or nothing. */
export async function openLegacy(
  p: Primitives,
  keys: ContentKeys,
  body: Uint8Array,
  where: string,
): Promise<Uint8Array> {
  if (body.length === 0) throw decryptError(`${where}: the body is empty`);
  const chunk = AESGCM_RECORD_SIZE + TAG_LENGTH;
  const aes = p.aesGcm(keys.cek);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let start = 0, seq = 0; start < body.length; start += chunk, seq++) {
    const end = Math.min(start + chunk, body.length);
    if (end - start < TAG_LENGTH + AESGCM_PAD_LENGTH_SIZE) {
      throw decryptError(
        `${where}: record ${seq} is ${end - start} bytes, too short for a tag and a padding length`,
      );
    }
    if (end - start === chunk && end === body.length) {
      throw decryptError(
        `${where}: the body ends on a full record, so its final record is missing`,
      );
    }
    let plain: Uint8Array;
    try {
      plain = await aes.open(recordNonce(keys.nonce, seq), body.subarray(start, end));
    } catch (cause) {
      throw decryptError(
        `${where}: record ${seq} failed authentication (wrong key, or the body was modified)`,
        cause,
      );
    }
    const padding = (plain[0]! << 8) | plain[1]!;
    const dataStart = AESGCM_PAD_LENGTH_SIZE + padding;
    if (dataStart > plain.length) {
      throw decryptError(
        `${where}: record ${seq} claims ${padding} bytes of padding but holds ${plain.length - AESGCM_PAD_LENGTH_SIZE}`,
      );
    }
    for (let i = AESGCM_PAD_LENGTH_SIZE; i < dataStart; i++) {
      if (plain[i] !== 0) throw decryptError(`${where}: record ${seq} has non-zero padding`);
    }
    parts.push(plain.subarray(dataStart));
    total += plain.length - dataStart;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
