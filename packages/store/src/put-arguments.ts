import { type CanonicalSubscription, parseSubscription } from "@swp/subscription";
import { assertGroupId } from "./list-options.ts";
import { assertSessionId } from "./session-id.ts";

/**
 * The arguments of `put` checked and resolved by {@link resolvePut}.
 *
 * @example
 * ```ts
 * const { sessionId, subscription, groupId } = resolvePut(id, body, 0)
 * ```
 */
export interface ResolvedPut {
  /** A session id of 1 to 256 characters. */
  sessionId: string;
  /**
   * The subscription as `parseSubscription` returns it, frozen and canonical (endpoint as
   * the URL parser writes it, keys as unpadded base64url): what the store keeps.
   * `expirationTime` is absent when it was not given; stores may keep that as null.
   */
  subscription: CanonicalSubscription;
  /** A safe integer; 0 when none was given. */
  groupId: number;
}

/**
 * Checks and resolves the arguments of a store's `put`, for store implementers, so that
 * every store refuses the same input with the same error: `SessionIdError` for the session
 * id, `TypeError` for a group id that is not a safe integer, and `parseSubscription`'s
 * `SubscriptionError` for the subscription (a `PushSubscription`, its JSON text, or an
 * object with `toJSON`). No transport policy: `http:` endpoints and any host are the
 * sender's to allow or refuse when it sends.
 *
 * @example
 * ```ts
 * async put(sessionId, subscription, groupId) {
 *   const put = resolvePut(sessionId, subscription, groupId)
 *   await this.#write(put.sessionId, put.subscription, put.groupId)
 * }
 * ```
 */
export function resolvePut(
  sessionId: unknown,
  subscription: unknown,
  groupId: unknown = 0,
): ResolvedPut {
  assertSessionId(sessionId);
  assertGroupId(groupId);
  // Any other kind of value gets parseSubscription's own refusal, code and message.
  return { sessionId, subscription: parseSubscription(subscription as string | object), groupId };
}
