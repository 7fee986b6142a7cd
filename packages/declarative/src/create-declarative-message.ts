import { encodeMessage } from "./lib/encode.ts";
import { validateMessage } from "./lib/validate-message.ts";
import type { DeclarativeMessage, DeclarativeMessageInit } from "./types.ts";

/**
 * Builds a declarative push message (Push API draft, "declarative push message"; Safari 18.4+):
 * checks every member against the draft, adds `"web_push": 8030`, and returns a fresh object
 * with only the members that were set, in the draft's order. Throws {@link DeclarativeError}
 * for the first member a browser would refuse, and when the JSON would not fit one push
 * message (3993 bytes of UTF-8).
 *
 * @example
 * ```ts
 * import { createDeclarativeMessage } from "@swp/declarative";
 *
 * const message = createDeclarativeMessage({
 *   notification: {
 *     title: "New message from Ada",
 *     body: "Are we still on for Friday?",
 *     navigate: "https://mail.example/m/12",
 *     actions: [{ action: "reply", title: "Reply", navigate: "https://mail.example/m/12#reply" }],
 *   },
 *   app_badge: 3,
 * });
 * message.web_push; // 8030
 * ```
 */
export function createDeclarativeMessage(init: DeclarativeMessageInit): DeclarativeMessage {
  const message = validateMessage(init, false);
  encodeMessage(message);
  return message;
}
