// The VAPID JWT (RFC 8292 section 2, RFC 7515 compact serialisation, RFC 7518 section 3.4):
// base64url(header) "." base64url(claims) "." base64url(r ‖ s).

import { base64urlEncode } from "@swp/subscription";
import type { Sign } from "./primitives.ts";
import { utf8 } from "./utf8.ts";

/** base64url of `{"typ":"JWT","alg":"ES256"}`, the only header VAPID uses. */
export const JWT_HEADER = base64urlEncode(utf8(JSON.stringify({ typ: "JWT", alg: "ES256" })));

/** 24 hours: the furthest ahead `exp` may be (RFC 8292 section 2). */
export const MAX_EXPIRATION = 24 * 60 * 60;

/** Signs a VAPID token for `aud`, expiring at `exp` (seconds), with optional `sub`. */
export async function signJwt(
  sign: Sign,
  claims: { aud: string; exp: number; sub?: string },
): Promise<string> {
  // Property order is fixed (aud, exp, sub) so equal claims give equal tokens.
  const payload = base64urlEncode(
    utf8(JSON.stringify({ aud: claims.aud, exp: claims.exp, sub: claims.sub })),
  );
  const input = `${JWT_HEADER}.${payload}`;
  const signature = await sign(utf8(input));
  return `${input}.${base64urlEncode(signature)}`;
}
