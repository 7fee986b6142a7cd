import { EceError } from "../errors.ts";
import { HEADER_FIXED_LENGTH, MIN_RECORD_SIZE, SALT_LENGTH, TAG_LENGTH } from "./constants.ts";
import { type ContentKeys, recordNonce } from "./key-schedule.ts";
import type { Primitives, SyncPrimitives } from "./primitives.ts";

// RFC 8188 §2: the octet after a record's data; 0x01 = more records follow, 0x02 = last record.
const DELIMITER_MORE = 1;
const DELIMITER_LAST = 2;

/** A parsed RFC 8188 §2.1 header. */
export interface ContentHeader {
  salt: Uint8Array;
  recordSize: number;
  keyId: Uint8Array;
  /** Offset of the first record in the body. */
  length: number;
}

function decryptError(message: string, cause?: unknown): EceError {
  return new EceError("ERR_ECE_DECRYPT", message, cause === undefined ? undefined : { cause });
}

/** Writes salt(16) || rs(uint32 BE) || idlen(1) || keyid into `out` at 0; returns its length. */
export function writeHeader(
  out: Uint8Array,
  salt: Uint8Array,
  recordSize: number,
  keyId: Uint8Array,
): number {
  out.set(salt, 0);
  out[16] = recordSize >>> 24;
  out[17] = (recordSize >>> 16) & 0xff;
  out[18] = (recordSize >>> 8) & 0xff;
  out[19] = recordSize & 0xff;
  out[20] = keyId.length;
  out.set(keyId, HEADER_FIXED_LENGTH);
  return HEADER_FIXED_LENGTH + keyId.length;
}

/** Reads the RFC 8188 §2.1 header; every problem is an ERR_ECE_DECRYPT naming it. */
export function readHeader(body: Uint8Array, where: string): ContentHeader {
  if (body.length < HEADER_FIXED_LENGTH) {
    throw decryptError(
      `${where}: truncated header: the body is ${body.length} bytes, an aes128gcm header needs at least ${HEADER_FIXED_LENGTH}`,
    );
  }
  const recordSize = ((body[16]! << 24) | (body[17]! << 16) | (body[18]! << 8) | body[19]!) >>> 0;
  const idLength = body[20]!;
  const length = HEADER_FIXED_LENGTH + idLength;
  if (body.length < length) {
    throw decryptError(
      `${where}: truncated header: the key id is ${idLength} bytes but the body ends ${length - body.length} bytes early`,
    );
  }
  if (recordSize < MIN_RECORD_SIZE) {
    throw decryptError(
      `${where}: the header's record size is ${recordSize}, RFC 8188 needs at least ${MIN_RECORD_SIZE}`,
    );
  }
  return {
    salt: body.subarray(0, SALT_LENGTH),
    recordSize,
    keyId: body.subarray(HEADER_FIXED_LENGTH, length),
    length,
  };
}

/** Size of the records `sealRecords` writes for this much data and padding. */
export function sealedLength(dataLength: number, padding: number, recordSize: number): number {
  const capacity = recordSize - TAG_LENGTH - 1;
  const records = Math.max(1, Math.ceil((dataLength + padding) / capacity));
  return dataLength + padding + records * (TAG_LENGTH + 1);
}

/** Where a sealing pass is: what is left of the plaintext and the padding. */
interface SealCursor {
  dataLeft: number;
  padLeft: number;
  read: number;
  last: boolean;
}

/** Builds the next plaintext record (data || delimiter || zero padding) and advances `at`. */
function nextRecord(plaintext: Uint8Array, at: SealCursor, capacity: number): Uint8Array {
  const pad = Math.min(at.padLeft, capacity);
  const data = Math.min(at.dataLeft, capacity - pad);
  at.padLeft -= pad;
  at.dataLeft -= data;
  at.last = at.padLeft === 0 && at.dataLeft === 0;
  const record = new Uint8Array(data + 1 + pad);
  record.set(plaintext.subarray(at.read, at.read + data), 0);
  record[data] = at.last ? DELIMITER_LAST : DELIMITER_MORE;
  at.read += data;
  return record;
}

/**
 * RFC 8188 §2: splits `plaintext` into records of `recordSize` octets (tag included), each
 * data || delimiter || zero padding, and writes them into `out` from `offset`. Padding goes
 * into the earliest records first, as in the RFC 8188 §3.2 example; every record but the last
 * is exactly `recordSize` long, as §2 requires.
 */
export async function sealRecords(
  p: Primitives,
  keys: ContentKeys,
  plaintext: Uint8Array,
  padding: number,
  recordSize: number,
  out: Uint8Array,
  offset: number,
): Promise<void> {
  const aes = p.aesGcm(keys.cek);
  const capacity = recordSize - TAG_LENGTH - 1;
  const at: SealCursor = { dataLeft: plaintext.length, padLeft: padding, read: 0, last: false };
  let write = offset;
  for (let seq = 0; !at.last; seq++) {
    const record = nextRecord(plaintext, at, capacity);
    const sealed = await aes.seal(recordNonce(keys.nonce, seq), record);
    out.set(sealed, write);
    write += sealed.length;
  }
}

/** {@link sealRecords} on synchronous primitives, sealing straight into `out`. */
export function sealRecordsSync(
  s: SyncPrimitives,
  keys: ContentKeys,
  plaintext: Uint8Array,
  padding: number,
  recordSize: number,
  out: Uint8Array,
  offset: number,
): void {
  const capacity = recordSize - TAG_LENGTH - 1;
  const at: SealCursor = { dataLeft: plaintext.length, padLeft: padding, read: 0, last: false };
  let write = offset;
  for (let seq = 0; !at.last; seq++) {
    const record = nextRecord(plaintext, at, capacity);
    write += s.seal(keys.cek, recordNonce(keys.nonce, seq), record, out, write);
  }
}

/**
 * RFC 8188 §2: decrypts every record after the header and strips its padding. Fails as a whole
 * (never returning part of the plaintext) on a failed tag, a missing or wrong delimiter, or a
 * body that ends before its final record.
 */
export async function openRecords(
  p: Primitives,
  keys: ContentKeys,
  body: Uint8Array,
  offset: number,
  recordSize: number,
  where: string,
): Promise<Uint8Array> {
  if (offset >= body.length) {
    throw decryptError(`${where}: the body ends after its header, with no record`);
  }
  const aes = p.aesGcm(keys.cek);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let start = offset, seq = 0; start < body.length; start += recordSize, seq++) {
    const end = Math.min(start + recordSize, body.length);
    const last = end === body.length;
    if (end - start <= TAG_LENGTH) {
      throw decryptError(
        `${where}: record ${seq} is ${end - start} bytes, too short for a ${TAG_LENGTH}-byte tag and a delimiter`,
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
    let i = plain.length - 1;
    while (i >= 0 && plain[i] === 0) i--;
    if (i < 0) {
      throw decryptError(`${where}: record ${seq} has no padding delimiter (all zero octets)`);
    }
    const delimiter = plain[i]!;
    if (last && delimiter !== DELIMITER_LAST) {
      throw decryptError(
        delimiter === DELIMITER_MORE
          ? `${where}: the final record ${seq} has delimiter 0x01, so the body is truncated`
          : `${where}: record ${seq} has padding delimiter 0x${delimiter.toString(16).padStart(2, "0")}, expected 0x02`,
      );
    }
    if (!last && delimiter !== DELIMITER_MORE) {
      throw decryptError(
        `${where}: record ${seq} is not the last but has padding delimiter 0x${delimiter.toString(16).padStart(2, "0")}, expected 0x01`,
      );
    }
    parts.push(plain.subarray(0, i));
    total += i;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
