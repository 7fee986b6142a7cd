import { EncodingError } from "./encoding-error.ts";

// RFC 4648: section 5 (base64url, for keys, tokens and subscriptions) and section 4 (base64,
// for PEM bodies and keys stored by older libraries). One implementation, two alphabets.
const URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// char code -> 6-bit value, 255 for characters outside the alphabet.
function decodeTable(alphabet: string): Uint8Array {
  const table = new Uint8Array(128).fill(255);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}

const URL_SAFE_TABLE = /* @__PURE__ */ decodeTable(URL_SAFE);
const STANDARD_TABLE = /* @__PURE__ */ decodeTable(STANDARD);

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}

function encode(bytes: Uint8Array, alphabet: string, pad: boolean, name: string): string {
  if (!(bytes instanceof Uint8Array)) {
    throw new EncodingError(`${name}: expected a Uint8Array, got ${describe(bytes)}`);
  }
  let out = "";
  const full = bytes.length - (bytes.length % 3);
  let i = 0;
  for (; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  const rest = bytes.length - full;
  if (rest === 1) {
    const n = bytes[i]!;
    out += alphabet[n >> 2]! + alphabet[(n & 3) << 4]! + (pad ? "==" : "");
  } else if (rest === 2) {
    const n = (bytes[i]! << 8) | bytes[i + 1]!;
    out += alphabet[n >> 10]! + alphabet[(n >> 4) & 63]! + alphabet[(n & 15) << 2]!;
    if (pad) out += "=";
  }
  return out;
}

function decode(text: string, table: Uint8Array, name: string, what: string): Uint8Array {
  if (typeof text !== "string") {
    throw new EncodingError(`${name}: expected a string, got ${describe(text)}`);
  }
  let end = text.length;
  // Up to two "=" are accepted, and only where they complete a group of four, so that padded
  // input from other encoders decodes too while "Zg=" or "=Zg" does not.
  if (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 61 && end % 4 === 3) end--;
  if (text.length !== end && text.length % 4 !== 0) {
    throw new EncodingError(`${name}: padding does not match a length of ${end} characters`);
  }
  if (end % 4 === 1) {
    throw new EncodingError(`${name}: ${end} characters cannot be ${what}`);
  }
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? table[code]! : 255;
    if (value === 255) {
      // The character itself is not shown: the text may be a key or an auth secret.
      throw new EncodingError(`${name}: the character at index ${i} is not ${what}`);
    }
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 255;
    }
  }
  // Leftover bits must be zero: otherwise two texts decode to the same bytes, and a signature
  // or key with flipped filler bits would still be accepted.
  if ((buffer & ((1 << bits) - 1)) !== 0) {
    throw new EncodingError(`${name}: non-zero bits after the last byte`);
  }
  return out;
}

/**
 * Encodes bytes as unpadded base64url (RFC 4648 section 5), the form Web Push uses for keys,
 * salts, tokens and subscription fields.
 *
 * @throws {EncodingError} when `bytes` is not a `Uint8Array`.
 * @example
 * ```ts
 * base64urlEncode(new Uint8Array([251, 255])); // "-_8"
 * ```
 */
export function base64urlEncode(bytes: Uint8Array): string {
  return encode(bytes, URL_SAFE, false, "base64urlEncode");
}

/**
 * Decodes base64url (RFC 4648 section 5), strictly: `=` padding is optional but must be
 * complete when present, and any character outside the alphabet (`+`, `/`, white space), a
 * length no encoder produces, or non-zero filler bits after the last byte is refused.
 *
 * @throws {EncodingError} for anything but canonical base64url.
 * @example
 * ```ts
 * base64urlDecode("BTBZMqHH6r4Tts7J_aSIgg").length; // 16
 * ```
 */
export function base64urlDecode(text: string): Uint8Array {
  return decode(text, URL_SAFE_TABLE, "base64urlDecode", "base64url");
}

/**
 * Encodes bytes as padded standard base64 (RFC 4648 section 4), as PEM bodies carry them.
 *
 * @throws {EncodingError} when `bytes` is not a `Uint8Array`.
 * @example
 * ```ts
 * base64Encode(new Uint8Array([251, 255])); // "+/8="
 * ```
 */
export function base64Encode(bytes: Uint8Array): string {
  return encode(bytes, STANDARD, true, "base64Encode");
}

/**
 * Decodes standard base64 (RFC 4648 section 4) with the same strictness as
 * {@link base64urlDecode}; white space must already be removed.
 *
 * @throws {EncodingError} for anything but canonical base64.
 * @example
 * ```ts
 * base64Decode("+/8=").length; // 2
 * ```
 */
export function base64Decode(text: string): Uint8Array {
  return decode(text, STANDARD_TABLE, "base64Decode", "base64");
}
