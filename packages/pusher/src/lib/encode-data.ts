/**
 * What a push message may carry, as the facade accepts it: text, bytes, or any value that
 * JSON can represent (sent as its JSON text, like the Python original did with a `dict`).
 */
export type PushData =
  | string
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | object
  | number
  | boolean;

/**
 * Turns `data` into what the sender encrypts: strings stay strings (the sender encodes them
 * as UTF-8), bytes become a `Uint8Array` view (no copy), anything else becomes its JSON text.
 * Throws a `TypeError` for values JSON cannot represent (undefined, functions, symbols,
 * BigInt, cycles), at the call site rather than inside a queued send.
 */
export function encodeData(data: unknown): string | Uint8Array {
  if (typeof data === "string") return data;
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch (cause) {
    throw new TypeError(`data cannot be sent as JSON: ${(cause as Error).message}`, { cause });
  }
  if (json === undefined) {
    throw new TypeError(
      `data must be a string, bytes or a JSON value; got ${data === undefined ? "undefined" : typeof data}`,
    );
  }
  return json;
}
