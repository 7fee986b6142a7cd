// This package runs on Node only (pg, pg-boss), so Buffer's base64url codec is at hand.

/** Bytes to base64url without padding. */
export function base64urlEncode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/** base64url (padding optional) to bytes, as a plain Uint8Array. */
export function base64urlDecode(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64url"));
}
