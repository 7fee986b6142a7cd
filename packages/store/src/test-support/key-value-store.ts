import type { PushSubscription } from "@swp/subscription";
import {
  assertSessionId,
  type ListOptions,
  planEndpointMove,
  resolveEndpoint,
  resolveListOptions,
  resolvePut,
  type StoredSubscription,
  StoreError,
  type SubscriptionStore,
} from "../index.ts";

/** The few calls this store needs from a key-value database (Redis, Valkey, Deno KV, …). */
export interface KeyValue {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Up to `limit` keys that start with `prefix` and sort after `after`, in order. */
  scan(prefix: string, after: string, limit: number): Promise<string[]>;
}

interface Row {
  subscription: PushSubscription;
  groupId: number;
  createdAt: number;
  updatedAt: number;
}

// `sub:<session id>` holds the row as JSON; `ep:<endpoint>` holds the session id, so
// that an endpoint is stored once and found without a scan.
const SUB = "sub:";
const EP = "ep:";

export function createKeyValueStore(kv: KeyValue, now = Date.now): SubscriptionStore {
  let closed = false;
  // Writes read then write several keys; one at a time keeps the two key families in
  // step. (Over a real database, use its transactions instead: MULTI/EXEC, atomic(), …)
  let writes: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const result = writes.then(work);
    writes = result.catch(() => {});
    return result;
  };
  const assertOpen = () => {
    if (closed) throw new StoreError("ERR_STORE_CLOSED", "the key-value store is closed");
  };
  const read = async (sessionId: string): Promise<Row | undefined> => {
    const text = await kv.get(SUB + sessionId);
    return text === undefined ? undefined : (JSON.parse(text) as Row);
  };
  const toStored = (sessionId: string, row: Row): StoredSubscription => ({
    sessionId,
    subscription: row.subscription,
    groupId: row.groupId,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  });
  const removeSession = async (sessionId: string): Promise<boolean> => {
    const row = await read(sessionId);
    if (row === undefined) return false;
    await kv.delete(EP + row.subscription.endpoint);
    return kv.delete(SUB + sessionId);
  };

  return {
    async put(sessionId, subscription, groupId = 0) {
      assertOpen();
      const put = resolvePut(sessionId, subscription, groupId);
      const { endpoint } = put.subscription;
      await serialized(async () => {
        const existing = await read(sessionId);
        // The contract's endpoint-move rule: who to delete, which endpoint key to drop.
        const { evict, release } = planEndpointMove(sessionId, endpoint, {
          holder: await kv.get(EP + endpoint),
          previousEndpoint: existing?.subscription.endpoint,
        });
        if (evict !== undefined) await kv.delete(SUB + evict);
        if (release !== undefined) await kv.delete(EP + release);
        const time = now();
        const row: Row = {
          subscription: put.subscription,
          groupId: put.groupId,
          createdAt: existing?.createdAt ?? time,
          updatedAt: time,
        };
        await kv.set(SUB + sessionId, JSON.stringify(row));
        await kv.set(EP + endpoint, sessionId);
      });
    },

    async remove(sessionId) {
      assertOpen();
      assertSessionId(sessionId);
      return serialized(() => removeSession(sessionId));
    },

    async removeByEndpoint(endpoint) {
      assertOpen();
      return serialized(async () => {
        const sessionId = await kv.get(EP + resolveEndpoint(endpoint));
        return sessionId === undefined ? false : removeSession(sessionId);
      });
    },

    async get(sessionId) {
      assertOpen();
      assertSessionId(sessionId);
      const row = await read(sessionId);
      return row === undefined ? undefined : toStored(sessionId, row);
    },

    async findSessionId(endpointOrSubscription) {
      assertOpen();
      return kv.get(EP + resolveEndpoint(endpointOrSubscription));
    },

    list(options?: ListOptions) {
      const { groupId, except, pageSize } = resolveListOptions(options);
      return (async function* () {
        // Keyset paging: each page starts after the last key seen, so rows removed
        // meanwhile are skipped and none is read twice.
        let after = SUB;
        for (;;) {
          assertOpen();
          const keys = await kv.scan(SUB, after, pageSize);
          for (const key of keys) {
            const sessionId = key.slice(SUB.length);
            if (except?.has(sessionId)) continue;
            const row = await read(sessionId);
            if (row === undefined || (groupId !== undefined && row.groupId !== groupId)) continue;
            yield toStored(sessionId, row);
          }
          if (keys.length < pageSize) return;
          after = keys[keys.length - 1]!;
        }
      })();
    },

    async count(options = {}) {
      let n = 0;
      for await (const _ of this.list({ ...options, pageSize: 1000 })) n++;
      return n;
    },

    async close() {
      closed = true;
    },
  };
}
