import type { ResolvedListOptions, StoredSubscription } from "@swp/store";
import type { Kysely } from "kysely";
import type { SubscriptionStoreDatabase } from "../schema.ts";
import { toStored } from "./to-stored.ts";

/**
 * `except` sets up to this size go into the query as `NOT IN (…)`; larger ones are
 * filtered per page in memory, which keeps the statement small and its parameters under
 * every database's limit.
 */
export const EXCEPT_IN_QUERY_MAX = 100;

/** What {@link readKeysetPages} reads: list options and, for a broadcast batch, a key range. */
export interface KeysetRead extends ResolvedListOptions {
  /** Exclusive lower bound of the session ids read; null reads from the first. */
  afterKey: string | null;
  /** Inclusive upper bound; null reads to the last. */
  lastKey: string | null;
}

/**
 * The one reader of `subscriptions` in pages, shared by the store's `list()` and the
 * broadcast audience: keyset paging, each page a fresh, short query that starts after the
 * last session id seen. Never OFFSET (which rereads every skipped row), never a cursor held
 * open across yields (which would pin the single SQLite connection while the caller sends).
 * `run` wraps every page's query (the store checks it is open and maps driver errors there).
 */
export async function* readKeysetPages(
  db: Kysely<SubscriptionStoreDatabase>,
  { groupId, except, pageSize, afterKey, lastKey }: KeysetRead,
  run: <T>(query: () => Promise<T>) => Promise<T>,
): AsyncGenerator<StoredSubscription> {
  const exceptInQuery =
    except !== undefined && except.size <= EXCEPT_IN_QUERY_MAX ? [...except] : undefined;
  const exceptInMemory = exceptInQuery === undefined ? except : undefined;
  let after = afterKey;
  for (;;) {
    const rows = await run(() => {
      let query = db.selectFrom("subscriptions").selectAll();
      if (after !== null) query = query.where("session_id", ">", after);
      if (lastKey !== null) query = query.where("session_id", "<=", lastKey);
      if (groupId !== undefined) query = query.where("group_id", "=", groupId);
      if (exceptInQuery !== undefined) query = query.where("session_id", "not in", exceptInQuery);
      return query.orderBy("session_id").limit(pageSize).execute();
    });
    for (const row of rows) {
      if (exceptInMemory?.has(row.session_id)) continue;
      yield toStored(row);
    }
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.session_id;
  }
}
