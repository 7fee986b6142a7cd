import type { PushSubscription } from "@swp/subscription";
import { planEndpointMove } from "./endpoint-move.ts";
import { StoreError } from "./errors.ts";
import { assertGroupId, type ResolvedListOptions, resolveListOptions } from "./list-options.ts";
import { resolvePut } from "./put-arguments.ts";
import { resolveEndpoint } from "./resolve-endpoint.ts";
import { assertSessionId } from "./session-id.ts";
import type {
  CountOptions,
  ListOptions,
  StoredSubscription,
  SubscriptionStore,
} from "./subscription-store.ts";

/**
 * Options of {@link createMemoryStore}.
 *
 * @example
 * ```ts
 * const store = createMemoryStore({ now: () => clock.now })
 * ```
 */
export interface MemoryStoreOptions {
  /** Clock for `createdAt`/`updatedAt`, in ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

interface Row {
  sessionId: string;
  subscription: PushSubscription;
  groupId: number;
  createdAt: number;
  updatedAt: number;
}

function snapshot(row: Row): StoredSubscription {
  const { endpoint, keys, expirationTime } = row.subscription;
  return {
    sessionId: row.sessionId,
    subscription: {
      endpoint,
      keys: { p256dh: keys.p256dh, auth: keys.auth },
      expirationTime: expirationTime ?? null,
    },
    groupId: row.groupId,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

class MemoryStore implements SubscriptionStore {
  readonly #now: () => number;
  // Two maps kept in step: the rows by session id, and the session id of each endpoint
  // (an endpoint is stored at most once).
  readonly #rows = new Map<string, Row>();
  readonly #sessionByEndpoint = new Map<string, string>();
  #closed = false;

  constructor(options: MemoryStoreOptions) {
    this.#now = options.now ?? Date.now;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError("ERR_STORE_CLOSED", "the memory store is closed");
  }

  async put(
    sessionId: string,
    subscription: PushSubscription | string | object,
    groupId = 0,
  ): Promise<void> {
    this.#assertOpen();
    const put = resolvePut(sessionId, subscription, groupId);
    const { endpoint } = put.subscription;
    const now = this.#now();

    const existing = this.#rows.get(sessionId);
    const { evict, release } = planEndpointMove(sessionId, endpoint, {
      holder: this.#sessionByEndpoint.get(endpoint),
      previousEndpoint: existing?.subscription.endpoint,
    });
    if (evict !== undefined) this.#rows.delete(evict);
    if (release !== undefined) this.#sessionByEndpoint.delete(release);

    this.#rows.set(sessionId, {
      ...put,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    });
    this.#sessionByEndpoint.set(endpoint, sessionId);
  }

  async remove(sessionId: string): Promise<boolean> {
    this.#assertOpen();
    assertSessionId(sessionId);
    const row = this.#rows.get(sessionId);
    if (row === undefined) return false;
    this.#rows.delete(sessionId);
    this.#sessionByEndpoint.delete(row.subscription.endpoint);
    return true;
  }

  async removeByEndpoint(endpoint: string): Promise<boolean> {
    this.#assertOpen();
    const canonical = resolveEndpoint(endpoint);
    const sessionId = this.#sessionByEndpoint.get(canonical);
    if (sessionId === undefined) return false;
    this.#sessionByEndpoint.delete(canonical);
    this.#rows.delete(sessionId);
    return true;
  }

  async get(sessionId: string): Promise<StoredSubscription | undefined> {
    this.#assertOpen();
    assertSessionId(sessionId);
    const row = this.#rows.get(sessionId);
    return row === undefined ? undefined : snapshot(row);
  }

  async findSessionId(
    endpointOrSubscription: string | PushSubscription,
  ): Promise<string | undefined> {
    this.#assertOpen();
    const endpoint = resolveEndpoint(endpointOrSubscription);
    return this.#sessionByEndpoint.get(endpoint);
  }

  list(options?: ListOptions): AsyncIterable<StoredSubscription> {
    // Resolved now, so bad options throw at the call and `except` is read exactly once.
    return this.#iterate(resolveListOptions(options));
  }

  async *#iterate({ groupId, except }: ResolvedListOptions): AsyncGenerator<StoredSubscription> {
    this.#assertOpen();
    // A Map iterator skips entries deleted after it started and never repeats one, which
    // is exactly the contract's guarantee for rows removed while listing.
    for (const row of this.#rows.values()) {
      if (groupId !== undefined && row.groupId !== groupId) continue;
      if (except?.has(row.sessionId)) continue;
      yield snapshot(row);
      this.#assertOpen();
    }
  }

  async count(options: CountOptions = {}): Promise<number> {
    this.#assertOpen();
    const { groupId } = options;
    if (groupId === undefined) return this.#rows.size;
    assertGroupId(groupId);
    let n = 0;
    for (const row of this.#rows.values()) if (row.groupId === groupId) n++;
    return n;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#rows.clear();
    this.#sessionByEndpoint.clear();
  }
}

/**
 * The reference {@link SubscriptionStore}: everything in two `Map`s, gone when the
 * process exits. Use it in tests, for short-lived processes, or as the model when
 * writing a store over your own database.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from "@swp/store"
 *
 * const store = createMemoryStore()
 * await store.put("session-1", { endpoint: "https://push.example.net/abc", keys: { p256dh, auth } })
 * console.log(await store.count()) // 1
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): SubscriptionStore {
  return new MemoryStore(options);
}
