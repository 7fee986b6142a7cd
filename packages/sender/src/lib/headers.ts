// Response header normalisation shared by the transports: lower-case names, repeated
// headers joined, HTTP/2 pseudo-headers dropped.

export function normalizeHeaders(
  raw: Record<string, string | string[] | number | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  // for…in, not Object.entries: no array of pairs per response.
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined || name.charCodeAt(0) === 0x3a /* ":" */) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

/** Concatenates chunks, keeping at most `limit` bytes. */
export function joinChunks(chunks: readonly Uint8Array[], limit: number): Uint8Array {
  let size = 0;
  for (const c of chunks) size += c.length;
  const out = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const c of chunks) {
    if (offset >= out.length) break;
    const part = c.subarray(0, out.length - offset);
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
