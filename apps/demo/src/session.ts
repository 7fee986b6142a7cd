/**
 * The session cookie: a random id, set on the first visit, that the demo stores each
 * browser's subscription under (`pusher.newSubscription(sessionId, …)`).
 *
 * @module
 */

import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Name of the session cookie. */
export const SESSION_COOKIE = "swp_session";

/** 128 random bits as 32 lowercase hex characters; anything else in the cookie is ignored. */
const SESSION_ID = /^[0-9a-f]{32}$/;

/** Reads the cookies of a request (`Cookie: a=1; b=2`) into a map. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/**
 * Returns this request's session id, making a new one (and setting the cookie on `res`)
 * when the request has none or a malformed one. The cookie is `HttpOnly` (page scripts
 * never see it) and `SameSite=Strict` (other sites' requests do not carry it).
 *
 * @example
 * ```ts
 * const sessionId = ensureSession(req, res);
 * await pusher.newSubscription(sessionId, subscription);
 * ```
 */
export function ensureSession(req: IncomingMessage, res: ServerResponse): string {
  const current = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  if (current !== undefined && SESSION_ID.test(current)) return current;
  const sessionId = randomBytes(16).toString("hex");
  res.setHeader(
    "Set-Cookie",
    `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000`,
  );
  return sessionId;
}
