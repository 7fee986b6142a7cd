/**
 * `bytes` typed as backed by an ArrayBuffer, copied only when it is not (a SharedArrayBuffer
 * view). TypeScript 5.9's DOM `BodyInit` takes `Uint8Array<ArrayBuffer>` only, so request
 * bodies carry that type; encryption output is always ArrayBuffer-backed, so this is a check,
 * not a copy, on every path the sender takes.
 */
export function arrayBufferBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  // toString rather than instanceof: a buffer from another realm (a vm context, a worker that
  // transferred it) fails instanceof but is still an ArrayBuffer.
  if (Object.prototype.toString.call(bytes.buffer) === "[object ArrayBuffer]") {
    return bytes as Uint8Array<ArrayBuffer>;
  }
  return new Uint8Array(bytes);
}
