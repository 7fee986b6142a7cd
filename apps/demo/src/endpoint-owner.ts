/**
 * Who may store a subscription whose endpoint another session already holds.
 *
 * @module
 */

import { timingSafeEqual } from "node:crypto";
import type { DemoPusher, DemoSubscription } from "./demo-pusher.ts";
import { HttpError } from "./errors.ts";

/**
 * Refuses (409 `ERR_DEMO_ENDPOINT_TAKEN`) a subscribe from `sessionId` whose endpoint is
 * stored under another session with other keys.
 *
 * The store keeps an endpoint once, so storing it moves it to the new session. That is
 * right for the browser that owns it (it came back with a new cookie) and wrong for
 * anyone else: an endpoint is not a secret (it travels to the push service, may be
 * logged, is shown on the page), so a stranger could post it with keys of their own,
 * take the row over, and read or silence what the owner should get. Only the browser
 * (and this server) know the subscription's `auth` secret and `p256dh` key: posting the
 * same keys proves ownership. A browser that really got new keys for the same endpoint
 * unsubscribes first (the page does), which frees the endpoint.
 *
 * @example
 * ```ts
 * const subscription = parseSubscription(body.subscription);
 * await assertOwnsEndpoint(pusher, sessionId, subscription);
 * await pusher.newSubscription(sessionId, subscription);
 * ```
 */
export async function assertOwnsEndpoint(
  pusher: DemoPusher,
  sessionId: string,
  subscription: DemoSubscription,
): Promise<void> {
  const owner = await pusher.getIdSession(subscription.endpoint);
  if (owner === undefined || owner === sessionId) return;
  const stored = await pusher.getSubscription(owner);
  // Gone between the two reads: nobody holds the endpoint any more.
  if (stored === undefined) return;
  if (
    sameKey(stored.keys.auth, subscription.keys.auth) &&
    sameKey(stored.keys.p256dh, subscription.keys.p256dh)
  ) {
    return;
  }
  throw new HttpError(
    409,
    "ERR_DEMO_ENDPOINT_TAKEN",
    "this endpoint is subscribed under another session with other keys; a browser that owns it sends the keys it was stored with",
  );
}

/**
 * Compares two base64url keys as bytes (padding or not), in time that does not depend on
 * where they differ: `auth` is a secret, and a timing leak would let a prober guess it.
 */
function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a, "base64url");
  const y = Buffer.from(b, "base64url");
  return x.length === y.length && timingSafeEqual(x, y);
}
