const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// char code -> 6-bit value, 255 for characters outside the alphabet.
const DECODE_TABLE = /* @__PURE__ */ (() => {
  const table = new Uint8Array(128).fill(255);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/**
 * Encodes bytes as unpadded base64url (RFC 4648 §5), the form Web Push uses for keys, salts and
 * subscription fields.
 *
 * @example
 * ```ts
 * base64urlEncode(new Uint8Array([251, 255])); // "-_8"
 * ```
 */
export function base64urlEncode(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`base64urlEncode: expected a Uint8Array, got ${describe(bytes)}`);
  }
  let out = "";
  const full = bytes.length - (bytes.length % 3);
  let i = 0;
  for (; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - full;
  if (rest === 1) {
    const n = bytes[i]!;
    out += ALPHABET[n >> 2]! + ALPHABET[(n & 3) << 4]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 8) | bytes[i + 1]!;
    out += ALPHABET[n >> 10]! + ALPHABET[(n >> 4) & 63]! + ALPHABET[(n & 15) << 2]!;
  }
  return out;
}

/**
 * Decodes base64url (RFC 4648 §5). Trailing `=` padding is optional. Throws a `TypeError` for any
 * character outside the base64url alphabet (including `+`, `/` and whitespace) and for a length
 * no encoder can produce.
 *
 * @example
 * ```ts
 * base64urlDecode("BTBZMqHH6r4Tts7J_aSIgg").length; // 16
 * ```
 */
export function base64urlDecode(text: string): Uint8Array {
  if (typeof text !== "string") {
    throw new TypeError(`base64urlDecode: expected a string, got ${describe(text)}`);
  }
  let end = text.length;
  // Up to two "=" are accepted so that padded input from other encoders decodes too.
  if (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 61 && end % 4 === 3) end--;
  if (text.length !== end && text.length % 4 !== 0) {
    throw new TypeError(`base64urlDecode: padding does not match a length of ${end} characters`);
  }
  if (end % 4 === 1) {
    throw new TypeError(`base64urlDecode: ${end} characters cannot be base64url`);
  }
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? DECODE_TABLE[code]! : 255;
    if (value === 255) {
      throw new TypeError(
        `base64urlDecode: character ${JSON.stringify(text[i])} at index ${i} is not base64url`,
      );
    }
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 255;
    }
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}
