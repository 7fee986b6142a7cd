import { isP256Point } from "@swp/subscription";
import { EceError, type EceErrorCode } from "../errors.ts";
import type { ContentEncoding } from "../types.ts";
import { bytesToBigInt } from "./bytes.ts";
import {
  AESGCM_PAD_LENGTH_SIZE,
  MAX_PUSH_BODY,
  PRIVATE_KEY_LENGTH,
  PUBLIC_KEY_LENGTH,
  TAG_LENGTH,
  WEB_PUSH_HEADER_LENGTH,
} from "./constants.ts";

// Order of the P-256 base point (SEC 2 §2.4.2); a private scalar lies in [1, N - 1].
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** Fixed overhead of a single-record push body, before padding. */
const OVERHEAD: Record<ContentEncoding, number> = {
  // header(86) + delimiter(1) + tag(16): RFC 8291 §4
  aes128gcm: WEB_PUSH_HEADER_LENGTH + 1 + TAG_LENGTH,
  // padding length(2) + tag(16): draft-ietf-webpush-encryption-04 §4
  aesgcm: AESGCM_PAD_LENGTH_SIZE + TAG_LENGTH,
};

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === "object") return `a ${value.constructor?.name ?? "object"}`;
  return `a ${typeof value}`;
}

export function assertBytes(value: unknown, field: string, where: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${where}: ${field} must be a Uint8Array, got ${describeValue(value)}`);
  }
  return value;
}

export function assertOptions(value: unknown, where: string): void {
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`${where}: options must be an object, got ${describeValue(value)}`);
  }
}

export function assertEncoding(value: unknown, where: string): ContentEncoding {
  if (value === "aes128gcm" || value === "aesgcm") return value;
  throw new TypeError(
    `${where}: encoding must be "aes128gcm" or "aesgcm", got ${
      typeof value === "string" ? JSON.stringify(value) : describeValue(value)
    }`,
  );
}

/** Checks a byte string of fixed length, failing with an EceError of the given code. */
export function assertLength(
  value: unknown,
  length: number,
  field: string,
  code: EceErrorCode,
  where: string,
): Uint8Array {
  const bytes = assertBytes(value, field, where);
  if (bytes.length !== length) {
    throw new EceError(code, `${where}: ${field} must be ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

function expectedPoint(field: string): string {
  return `${field} must be a ${PUBLIC_KEY_LENGTH}-byte uncompressed P-256 point`;
}

/** The error for 65 bytes that start with 0x04 but are not a point on P-256. */
export function notOnCurveError(field: string, where: string): EceError {
  return new EceError(
    "ERR_ECE_INVALID_PUBLIC_KEY",
    `${where}: ${expectedPoint(field)}, got 65 bytes that are not a point on the curve`,
  );
}

/**
 * Checks an uncompressed P-256 point. `onCurve: false` checks only its shape (length and
 * 0x04 prefix) for callers whose ECDH rejects off-curve points itself; they must then throw
 * {@link notOnCurveError} when that ECDH (or a later check) fails for a point that is not on
 * the curve.
 */
export function assertPublicKey(
  value: unknown,
  field: string,
  where: string,
  onCurve = true,
): Uint8Array {
  const bytes = assertBytes(value, field, where);
  const expected = expectedPoint(field);
  if (bytes.length !== PUBLIC_KEY_LENGTH) {
    throw new EceError(
      "ERR_ECE_INVALID_PUBLIC_KEY",
      `${where}: ${expected}, got ${bytes.length} bytes`,
    );
  }
  if (bytes[0] !== 0x04) {
    throw new EceError(
      "ERR_ECE_INVALID_PUBLIC_KEY",
      `${where}: ${expected} starting with 0x04, got a first byte of 0x${bytes[0]!
        .toString(16)
        .padStart(2, "0")}`,
    );
  }
  if (onCurve && !isP256Point(bytes)) throw notOnCurveError(field, where);
  return bytes;
}

export function assertPrivateKey(value: unknown, field: string, where: string): Uint8Array {
  const bytes = assertLength(
    value,
    PRIVATE_KEY_LENGTH,
    field,
    "ERR_ECE_INVALID_PRIVATE_KEY",
    where,
  );
  const d = bytesToBigInt(bytes, 0, PRIVATE_KEY_LENGTH);
  if (d === 0n || d >= N) {
    throw new EceError(
      "ERR_ECE_INVALID_PRIVATE_KEY",
      `${where}: ${field} must be a P-256 scalar between 1 and the curve order - 1`,
    );
  }
  return bytes;
}

/** A non-negative integer option such as padding or a record size. */
export function assertInteger(value: unknown, field: string, where: string): number {
  if (typeof value !== "number") {
    throw new TypeError(`${where}: ${field} must be a number, got ${describeValue(value)}`);
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${where}: ${field} must be a non-negative integer, got ${value}`);
  }
  return value;
}

/**
 * Validates `padding` for a single-record push body and returns the largest plaintext that
 * still fits into {@link MAX_PUSH_BODY} bytes.
 */
export function plaintextLimit(encoding: unknown, padding: unknown, where: string): number {
  const checked = assertEncoding(encoding, where);
  const pad = assertInteger(padding, "padding", where);
  const room = MAX_PUSH_BODY - OVERHEAD[checked];
  if (pad > room) {
    throw new RangeError(
      `${where}: padding must be at most ${room} bytes for ${checked} (4096-byte body), got ${pad}`,
    );
  }
  return room - pad;
}
