/**
 * The cross-site check for state-changing requests.
 *
 * @module
 */

import type { IncomingMessage } from "node:http";
import { HttpError } from "./errors.ts";

/**
 * Refuses a request another site's page made (CSRF): its `Origin` must name this server's
 * own host, and `Sec-Fetch-Site`, when the browser sends it, must be `same-origin` or
 * `none`. A request with neither header (curl, a script) is not from a browser page and
 * passes.
 *
 * @example
 * ```ts
 * if (req.method === "POST") checkOrigin(req); // throws HttpError 403
 * ```
 */
export function checkOrigin(req: IncomingMessage): void {
  const fetchSite = req.headers["sec-fetch-site"];
  if (fetchSite !== undefined && fetchSite !== "same-origin" && fetchSite !== "none") {
    throw crossSite(`Sec-Fetch-Site is "${fetchSite}"`);
  }
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw crossSite(`Origin "${origin}" is not a URL`);
  }
  if (host !== req.headers.host) throw crossSite(`Origin ${origin} is not this server`);
}

function crossSite(why: string): HttpError {
  return new HttpError(403, "ERR_DEMO_CROSS_SITE", `cross-site request refused: ${why}`);
}
