import type { PushSubscription } from "@swp/subscription";

/**
 * One stored subscription: what {@link SubscriptionStore.get} and
 * {@link SubscriptionStore.list} yield. Values are snapshots: changing them changes
 * nothing in the store.
 *
 * @example
 * ```ts
 * const row = await store.get(sessionId)
 * if (row) console.log(row.subscription.endpoint, row.groupId, row.updatedAt.toISOString())
 * ```
 */
export interface StoredSubscription {
  /** The key the subscription is stored under (1 to 256 characters). */
  sessionId: string;
  /**
   * The subscription in the canonical form of `parseSubscription` (keys as
   * base64url without padding). `expirationTime` may come back as `null` when it was
   * absent: stores need not tell the two apart.
   */
  subscription: PushSubscription;
  /** The group it belongs to; 0 unless another was given. */
  groupId: number;
  /** When this session id was first stored (kept when its subscription is replaced). */
  createdAt: Date;
  /** When this session id was last written by `put`. */
  updatedAt: Date;
}

/**
 * Options of {@link SubscriptionStore.list}.
 *
 * @example
 * ```ts
 * for await (const row of store.list({ groupId: 2, except: [mySessionId] })) notify(row)
 * ```
 */
export interface ListOptions {
  /** Only subscriptions of this group. Default: every group. */
  groupId?: number;
  /**
   * Session ids to leave out (e.g. the sender's own). Read once, when `list()` is called,
   * so a one-shot generator is fine.
   */
  except?: Iterable<string>;
  /**
   * How many rows a store reads from its backend at a time. A positive integer; the
   * default is the store's (500 in the stores of this project). It bounds memory, not the
   * number of rows yielded.
   */
  pageSize?: number;
}

/**
 * Options of {@link SubscriptionStore.count}.
 *
 * @example
 * ```ts
 * const admins = await store.count({ groupId: 1 })
 * ```
 */
export interface CountOptions {
  /** Only count subscriptions of this group. Default: every group. */
  groupId?: number;
}

/**
 * The subscription store contract: where the facade keeps session id → push
 * subscription, as the Python original's `subscriptors` table does. Implement it over
 * your own database and prove it with `describeSubscriptionStore` from
 * `@swp/store/conformance`; `createMemoryStore()` is the reference implementation.
 *
 * Rules every store follows (the conformance suite checks each one):
 * - Every method that takes a session id rejects with `SessionIdError` unless it is a
 *   string of 1 to 256 characters (use `assertSessionId`).
 * - `put` validates the subscription with `parseSubscription` of `@swp/subscription` and
 *   rejects with its `SubscriptionError`, storing nothing (use `resolvePut`). A group id
 *   that is not a safe integer is a `TypeError`. A store applies no transport policy: any
 *   subscription `parseSubscription` accepts is stored (`http:` endpoints, any host);
 *   `allowHttp` and the address checks are the sender's, at send time.
 * - An endpoint is stored at most once: `put` of an endpoint that another session id
 *   holds moves it to the new session id (the other row disappears), as the original
 *   does when a browser re-subscribes under a new session (see `planEndpointMove`).
 * - `list` reads in pages and yields each row at most once; rows not removed or added
 *   while it runs are yielded exactly once. Order is unspecified. Removing the row just
 *   yielded (cleaning up gone subscriptions) is allowed.
 * - Every method returns a promise (or, for `list`, an async iterable) and reports
 *   failures as rejections. After `close()` resolves, methods reject.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from "@swp/store"
 *
 * const store = createMemoryStore()
 * await store.put("session-1", subscriptionJsonFromTheBrowser, 0)
 * for await (const { sessionId, subscription } of store.list({ except: ["session-1"] })) {
 *   await sender.send(subscription, "hello")
 * }
 * await store.close()
 * ```
 */
export interface SubscriptionStore {
  /**
   * Stores (inserts or replaces) the subscription of `sessionId` in `groupId` (default
   * 0). `subscription` may be a `PushSubscription`, its JSON text, or any object
   * `parseSubscription` accepts.
   */
  put(
    sessionId: string,
    subscription: PushSubscription | string | object,
    groupId?: number,
  ): Promise<void>;
  /** Deletes the subscription of `sessionId`; true when there was one. */
  remove(sessionId: string): Promise<boolean>;
  /** Deletes the subscription with this endpoint (e.g. after a 404/410); true when there was one. */
  removeByEndpoint(endpoint: string): Promise<boolean>;
  /** The subscription stored under `sessionId`, or undefined. */
  get(sessionId: string): Promise<StoredSubscription | undefined>;
  /**
   * The session id holding a subscription: given its endpoint URL, its
   * `PushSubscription` object, or its JSON text (a string starting with `{`).
   */
  findSessionId(endpointOrSubscription: string | PushSubscription): Promise<string | undefined>;
  /** Every stored subscription (or one group's), read lazily in pages. */
  list(options?: ListOptions): AsyncIterable<StoredSubscription>;
  /** How many subscriptions are stored (in total, or in one group). */
  count(options?: CountOptions): Promise<number>;
  /** Releases what the store opened (connections, files). Calling it again is harmless. */
  close(): Promise<void>;
}
