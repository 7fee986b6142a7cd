import { DeclarativeError } from "./errors.ts";
import { encodeMessage } from "./lib/encode.ts";
import { validateMessage } from "./lib/validate-message.ts";
import { MAX_DECLARATIVE_SIZE } from "./limits.ts";
import type { DeclarativeMessage } from "./types.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/**
 * Reads a received payload as a declarative push message, with the same checks as the builder
 * and `web_push: 8030` required: for a test's push receiver, a service worker that shows the
 * JSON itself where the browser does not, or an audit of stored payloads. Throws
 * {@link DeclarativeError}: `ERR_DECLARATIVE_INVALID_JSON` for text (or bytes) that is not
 * UTF-8 JSON, the builder's codes otherwise.
 *
 * @example
 * ```ts
 * import { parseDeclarativeMessage } from "@swp/declarative";
 *
 * const message = parseDeclarativeMessage(decryptedBytes);
 * console.log(message.notification.title, message.notification.navigate);
 * ```
 */
export function parseDeclarativeMessage(payload: string | Uint8Array): DeclarativeMessage {
  let text: string;
  let size: number;
  if (typeof payload === "string") {
    text = payload;
    size = encoder.encode(payload).length;
  } else if (payload instanceof Uint8Array) {
    size = payload.length;
    try {
      text = decoder.decode(payload);
    } catch (cause) {
      throw new DeclarativeError("ERR_DECLARATIVE_INVALID_JSON", "the payload is not UTF-8", {
        cause,
      });
    }
  } else {
    throw new TypeError(`payload must be a string or a Uint8Array, got ${typeof payload}`);
  }
  if (size > MAX_DECLARATIVE_SIZE) {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_TOO_LARGE",
      `the payload is ${size} bytes, over the ${MAX_DECLARATIVE_SIZE}-byte limit of one aes128gcm push message`,
      { size, limit: MAX_DECLARATIVE_SIZE },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_INVALID_JSON",
      `the payload is not JSON (${size} bytes)`,
      { cause },
    );
  }
  const message = validateMessage(value, true);
  encodeMessage(message);
  return message;
}
