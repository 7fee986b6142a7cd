/**
 * The demo's Declarative Web Push message, built with `@swp/declarative`.
 *
 * @module
 */

import { createDeclarativeMessage, type DeclarativeMessage } from "@swp/declarative";

/** The title and body a demo notification falls back to, as the service worker does. */
export const DEFAULT_TITLE = "Push Codelab";
export const DEFAULT_BODY = "Yay it works.";

/**
 * A declarative push message (`{ "web_push": 8030, "notification": {...} }`) that shows
 * `title` and `body` and opens the demo's page (`appOrigin` + `/`) on a click. Safari 18.4+
 * shows it without the service worker; other browsers hand the JSON to the service worker's
 * `push` event, which shows the same notification. A local demo's `http://localhost:8080/`
 * is accepted as `navigate` like an `https:` URL: browsers treat loopback as a secure
 * context, where push works.
 *
 * @throws DeclarativeError (`code` `ERR_DECLARATIVE_*`) for a message a browser would refuse
 *   (plain `http:` on a public name) or one too large for a push message.
 * @example
 * ```ts
 * const message = createDemoMessage({ title: "Hi", body: "There" }, "https://demo.example.net");
 * await pusher.notify(sessionId, message); // sent as its JSON text
 * ```
 */
export function createDemoMessage(
  text: { title?: string; body?: string },
  appOrigin: string,
): DeclarativeMessage {
  return createDeclarativeMessage({
    notification: {
      title: text.title || DEFAULT_TITLE,
      body: text.body || DEFAULT_BODY,
      navigate: new URL("/", appOrigin).href,
      lang: "en",
    },
  });
}
