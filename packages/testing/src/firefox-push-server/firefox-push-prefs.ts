/**
 * Firefox preferences that point a test browser at a local Firefox push server.
 *
 * @module
 */

/**
 * The preferences a test Firefox needs to subscribe through, and receive from, a
 * {@link startFirefoxPushServer} server — headless and offline:
 *
 * - `dom.push.serverURL` = the server's `ws://` URL, allowed by
 *   `dom.push.testing.allowInsecureServerURL` (plain `ws:` is refused otherwise);
 * - `dom.push.connection.enabled` and `dom.push.enabled`: automation profiles (puppeteer,
 *   WebDriver BiDi) turn push off by default;
 * - `dom.push.testing.ignorePermission` and `permissions.default.desktop-notification` = 1:
 *   no permission prompt, notifications allowed;
 * - `dom.serviceWorkers.enabled` / `dom.serviceWorkers.testing.enabled`: service workers
 *   without the usual secure-context checks of a test profile;
 * - `alerts.useSystemBackend` = false: headless `showNotification()` otherwise fails for
 *   want of a desktop notification daemon.
 *
 * @example
 * ```ts
 * const browser = await puppeteer.launch({
 *   browser: "firefox",
 *   executablePath: "/usr/bin/firefox-esr",
 *   extraPrefsFirefox: firefoxPushPrefs(pushServer),
 * });
 * ```
 */
export function firefoxPushPrefs(server: {
  wsUrl: string;
}): Record<string, string | number | boolean> {
  return {
    "dom.push.enabled": true,
    "dom.push.connection.enabled": true,
    "dom.push.serverURL": server.wsUrl,
    "dom.push.testing.allowInsecureServerURL": true,
    "dom.push.testing.ignorePermission": true,
    "permissions.default.desktop-notification": 1,
    "dom.serviceWorkers.enabled": true,
    "dom.serviceWorkers.testing.enabled": true,
    "alerts.useSystemBackend": false,
  };
}
