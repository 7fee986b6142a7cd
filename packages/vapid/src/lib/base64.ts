// Base64 (RFC 4648 section 4, for PEM) and base64url (section 5, for JWTs and keys), written
// out so the portable entry needs neither Buffer nor atob/btoa's binary-string detour.

const STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function decodeTable(alphabet: string): Int16Array {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}

const STANDARD_TABLE = decodeTable(STANDARD);
const URL_SAFE_TABLE = decodeTable(URL_SAFE);

function encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      alphabet[n >>> 18]! +
      alphabet[(n >>> 12) & 63]! +
      alphabet[(n >>> 6) & 63]! +
      alphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += alphabet[n >>> 18]! + alphabet[(n >>> 12) & 63]! + (pad ? "==" : "");
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[n >>> 18]! + alphabet[(n >>> 12) & 63]! + alphabet[(n >>> 6) & 63]!;
    if (pad) out += "=";
  }
  return out;
}

function decode(text: string, table: Int16Array, what: string): Uint8Array {
  // Trailing "=" padding is tolerated (and ignored) for both alphabets.
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  if (text.length - end > 2 || end % 4 === 1) {
    throw new TypeError(`not ${what}: ${text.length} characters cannot encode whole bytes`);
  }
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? table[code]! : -1;
    if (digit < 0) {
      throw new TypeError(`not ${what}: unexpected character at index ${i}`);
    }
    value = ((value << 6) | digit) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >>> bits) & 0xff;
    }
  }
  // Leftover bits must be zero: otherwise two strings decode to the same bytes, and a
  // signature with flipped filler bits would still "verify".
  if ((value & ((1 << bits) - 1)) !== 0) {
    throw new TypeError(`not ${what}: non-zero bits after the last byte`);
  }
  return out;
}

/** Base64url without padding (RFC 4648 section 5), as JWTs and `applicationServerKey` use. */
export function base64urlEncode(bytes: Uint8Array): string {
  return encode(bytes, URL_SAFE, false);
}

/** Base64url decoding; padding optional; TypeError on characters outside the alphabet. */
export function base64urlDecode(text: string): Uint8Array {
  return decode(text, URL_SAFE_TABLE, "base64url");
}

/** Standard base64 with padding (RFC 4648 section 4), as PEM bodies use. */
export function base64Encode(bytes: Uint8Array): string {
  return encode(bytes, STANDARD, true);
}

/** Standard base64 decoding (whitespace must already be removed). */
export function base64Decode(text: string): Uint8Array {
  return decode(text, STANDARD_TABLE, "base64");
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A string from UTF-8 bytes; TypeError on invalid UTF-8. */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
