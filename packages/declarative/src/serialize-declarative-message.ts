import { encodeMessage } from "./lib/encode.ts";
import { validateMessage } from "./lib/validate-message.ts";
import type { DeclarativeMessageInit } from "./types.ts";

/**
 * The JSON text of a declarative push message, ready to be the payload of a push request:
 * {@link createDeclarativeMessage}'s checks, then `JSON.stringify`, then the 3993-byte limit on
 * the UTF-8 encoding. Send it as the payload: browsers with Declarative Web Push show it
 * themselves, the others hand it to the service worker's `push` event (`event.data.json()`).
 *
 * @example
 * ```ts
 * import { serializeDeclarativeMessage } from "@swp/declarative";
 * import { buildPushRequest } from "@swp/sender";
 *
 * const payload = serializeDeclarativeMessage({
 *   notification: { title: "Build 42 passed", navigate: "https://ci.example/runs/42" },
 * });
 * const request = await buildPushRequest(subscription, payload, { vapid });
 * ```
 */
export function serializeDeclarativeMessage(init: DeclarativeMessageInit): string {
  return encodeMessage(validateMessage(init, false));
}
