import { type DeclarativeMessage, serializeDeclarativeMessage } from "@swp/declarative";

/**
 * What a push message may carry, as the facade accepts it: text, bytes, or any value that
 * JSON can represent (sent as its JSON text, like the Python original did with a `dict`).
 * An object with `web_push: 8030` is a Declarative Web Push message (what
 * `createDeclarativeMessage` of `@swp/declarative` builds): it is checked against the
 * specification draft before anything is sent.
 */
export type PushData =
  | DeclarativeMessage
  | string
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | object
  | number
  | boolean;

/**
 * True for the objects a browser with Declarative Web Push takes as a declarative message:
 * `web_push` is 8030 (Push API draft). Anything else is ordinary JSON for the service worker.
 */
function isDeclarative(data: unknown): boolean {
  return (
    data !== null &&
    typeof data === "object" &&
    !Array.isArray(data) &&
    (data as { web_push?: unknown }).web_push === 8030
  );
}

/**
 * Turns `data` into what the sender encrypts: strings stay strings (the sender encodes them
 * as UTF-8), bytes become a `Uint8Array` view (no copy), a declarative message becomes its
 * checked JSON text, anything else becomes its JSON text. Throws at the call site rather
 * than inside a queued send: a `TypeError` for values JSON cannot represent (undefined,
 * functions, symbols, BigInt, cycles), a `DeclarativeError` for a declarative message a
 * browser would refuse (a missing title, a `navigate` that is not https:, over 3993 bytes).
 */
export function encodeData(data: unknown): string | Uint8Array {
  if (typeof data === "string") return data;
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // Safari would take it as declarative and drop it if malformed: check it now, in full.
  if (isDeclarative(data)) return serializeDeclarativeMessage(data as DeclarativeMessage);
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
