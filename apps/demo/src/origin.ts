/**
 * The cross-site check for state-changing requests.
 *
 * @module
 */

import type { IncomingMessage } from "node:http";
import { HttpError } from "./errors.ts";

/** Host names that always mean "this machine", as a browser writes them in an origin. */
const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"] as const;

/**
 * The origins a page of this demo can have. With configured public origins (`DEMO_ORIGIN`,
 * `--origin`), exactly those. Without, a local demo: `http://localhost`, `http://127.0.0.1`
 * and `http://[::1]` on `port`, the port the request arrived on.
 *
 * The request's own `Host` header is never used: a DNS-rebinding page at
 * `http://evil.example:8080`, once its name resolves to 127.0.0.1, sends
 * `Host: evil.example:8080` and `Origin: http://evil.example:8080`, which agree.
 *
 * @example
 * ```ts
 * allowedOrigins([], 8080); // ["http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080"]
 * allowedOrigins(["https://demo.example.net"], 8080); // ["https://demo.example.net"]
 * ```
 */
export function allowedOrigins(configured: readonly string[], port: number): string[] {
  if (configured.length > 0) return [...configured];
  // Port 80 is left out of a serialized http origin.
  const suffix = port === 80 ? "" : `:${port}`;
  return LOOPBACK_HOSTS.map((host) => `http://${host}${suffix}`);
}

/**
 * Refuses a request another site's page made (CSRF, DNS rebinding): its `Origin`, when
 * present, must be one of {@link allowedOrigins}, and `Sec-Fetch-Site`, when the browser
 * sends it, must be `same-origin` or `none`. A request with neither header (curl, a script)
 * is not from a browser page and passes: browsers send `Origin` with every POST.
 *
 * @param configured The public origins from the configuration; empty for a local demo.
 * @example
 * ```ts
 * if (req.method === "POST") checkOrigin(req, config.origins); // throws HttpError 403
 * ```
 */
export function checkOrigin(req: IncomingMessage, configured: readonly string[]): void {
  const fetchSite = req.headers["sec-fetch-site"];
  if (fetchSite !== undefined && fetchSite !== "same-origin" && fetchSite !== "none") {
    throw crossSite(`Sec-Fetch-Site is "${fetchSite}"`);
  }
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const allowed = allowedOrigins(configured, req.socket.localPort ?? 0);
  // Compared as text: browsers serialize an origin one way (lowercase host, default port
  // omitted), and the configured ones went through the same URL serialization.
  if (!allowed.includes(origin)) {
    const hint =
      configured.length > 0
        ? "the configured DEMO_ORIGIN"
        : "a local demo (set DEMO_ORIGIN to serve it under a public name)";
    throw crossSite(`Origin ${JSON.stringify(origin.slice(0, 200))} is not an origin of ${hint}`);
  }
}

function crossSite(why: string): HttpError {
  return new HttpError(403, "ERR_DEMO_CROSS_SITE", `cross-site request refused: ${why}`);
}
