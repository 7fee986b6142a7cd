const encoder = /* @__PURE__ */ new TextEncoder();

/** UTF-8 bytes of an ASCII label; labels are built once at module load. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Concatenates into one fresh Uint8Array (never a view onto someone else's memory). */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A fresh copy, so a caller never receives a view into a pooled runtime buffer. */
export function copy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** Big-endian bytes `[start, end)` as a non-negative BigInt (for the private-scalar range check). */
export function bytesToBigInt(bytes: Uint8Array, start: number, end: number): bigint {
  let n = 0n;
  for (let i = start; i < end; i++) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}
