/**
 * What a `put` must delete besides writing its row: the contract's endpoint-move rule,
 * returned by {@link planEndpointMove}.
 *
 * @example
 * ```ts
 * const { evict, release } = planEndpointMove(sessionId, endpoint, { holder, previousEndpoint })
 * ```
 */
export interface EndpointMove {
  /**
   * Another session id that holds the endpoint now: its row is deleted, because the
   * endpoint moves to the session id being written. Undefined when there is none.
   */
  evict: string | undefined;
  /**
   * The endpoint the session id being written held until now, when it is another one: it
   * is no longer stored after the put (drop it from any endpoint index). Undefined otherwise.
   */
  release: string | undefined;
}

/**
 * The endpoint-move rule of the store contract, the one place it is written down for the
 * stores that keep their own endpoint index (the memory store, the README's key-value
 * store): an endpoint is stored at most once, so a `put` of an endpoint that another
 * session id holds moves it — the other row disappears, as in the Python original when a
 * browser re-subscribes under a new session — and the endpoint the session id held before
 * is released. Given who holds `endpoint` now and what `sessionId` held, it says what to
 * delete; the caller writes the new row. SQL stores state the same rule as one statement
 * run before their upsert (`@swp/store-kysely`: `DELETE … WHERE endpoint = ? AND
 * session_id <> ?`), and the conformance suite checks every store against it.
 *
 * @example
 * ```ts
 * const existing = rows.get(sessionId)
 * const { evict, release } = planEndpointMove(sessionId, subscription.endpoint, {
 *   holder: sessionByEndpoint.get(subscription.endpoint),
 *   previousEndpoint: existing?.subscription.endpoint,
 * })
 * if (evict !== undefined) rows.delete(evict)
 * if (release !== undefined) sessionByEndpoint.delete(release)
 * rows.set(sessionId, newRow)
 * sessionByEndpoint.set(subscription.endpoint, sessionId)
 * ```
 */
export function planEndpointMove(
  sessionId: string,
  endpoint: string,
  now: { holder: string | undefined; previousEndpoint: string | undefined },
): EndpointMove {
  const { holder, previousEndpoint } = now;
  return {
    evict: holder !== undefined && holder !== sessionId ? holder : undefined,
    release:
      previousEndpoint !== undefined && previousEndpoint !== endpoint
        ? previousEndpoint
        : undefined,
  };
}
