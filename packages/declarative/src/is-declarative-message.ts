import { DeclarativeError } from "./errors.ts";
import { encodeMessage } from "./lib/encode.ts";
import { validateMessage } from "./lib/validate-message.ts";
import type { DeclarativeMessage } from "./types.ts";

/**
 * True when `value` (already parsed JSON) is a declarative push message this package would
 * build: `web_push: 8030`, a valid `notification`, and within 3993 bytes as JSON. Use
 * {@link parseDeclarativeMessage} to learn why one is not.
 *
 * @example
 * ```ts
 * self.addEventListener("push", (event) => {
 *   const data = event.data?.json();
 *   if (isDeclarativeMessage(data)) show(data.notification);
 * });
 * ```
 */
export function isDeclarativeMessage(value: unknown): value is DeclarativeMessage {
  try {
    encodeMessage(validateMessage(value, true));
    return true;
  } catch (error) {
    if (error instanceof DeclarativeError) return false;
    throw error;
  }
}
