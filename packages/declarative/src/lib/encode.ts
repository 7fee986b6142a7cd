import { DeclarativeError } from "../errors.ts";
import { MAX_DECLARATIVE_SIZE } from "../limits.ts";
import type { DeclarativeMessage } from "../types.ts";

const encoder = new TextEncoder();

/** The message as JSON text, refused when its UTF-8 form does not fit one push message. */
export function encodeMessage(message: DeclarativeMessage): string {
  const json = JSON.stringify(message);
  // The limit is on bytes on the wire: "é" is one character and two bytes.
  const size = encoder.encode(json).length;
  if (size > MAX_DECLARATIVE_SIZE) {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_TOO_LARGE",
      `the declarative push message is ${size} bytes of UTF-8 JSON, over the ${MAX_DECLARATIVE_SIZE}-byte limit of one aes128gcm push message (shorten body or data)`,
      { size, limit: MAX_DECLARATIVE_SIZE },
    );
  }
  return json;
}
