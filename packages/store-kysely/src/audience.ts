import {
  assertGroupId,
  type ListOptions,
  resolveListOptions,
  type StoredSubscription,
} from "@swp/store";
import type { Kysely } from "kysely";
import { readKeysetPages } from "./lib/keyset-pages.ts";
import type { SubscriptionStoreDatabase } from "./schema.ts";
import { toStoreError } from "./to-store-error.ts";

// The audience API: how a distributed broadcast (`@swp/broadcast`) reads and prunes the
// subscriptions without writing SQL on the store's table itself. Every function takes the
// Kysely instance or transaction to run on, so a caller can put the cut, or the pruning,
// in a transaction of its own with its own tables.

/**
 * One batch of an audience: the session ids in `(afterKey, lastKey]`, in key order; a null
 * bound is open.
 *
 * @example
 * ```ts
 * const ranges = await cutAudience(db, { batchSize: 1000 })
 * console.log(ranges.map((r) => `${r.afterKey ?? "…"}–${r.lastKey ?? "…"}: ${r.expected}`))
 * ```
 */
export interface AudienceRange {
  /** Exclusive lower bound, or null for the first range. */
  afterKey: string | null;
  /** Inclusive upper bound, or null for the last range (which takes whatever comes after). */
  lastKey: string | null;
  /** Subscriptions in the range when it was cut. */
  expected: number;
}

/**
 * Options of {@link cutAudience}.
 *
 * @example
 * ```ts
 * await cutAudience(trx, { groupId: 3, batchSize: 500 })
 * ```
 */
export interface CutAudienceOptions {
  /** Only this group's subscriptions. Default: every group. */
  groupId?: number;
  /** Subscriptions per range (a positive integer). */
  batchSize: number;
}

/** Runs one statement of the audience API, turning driver errors into `StoreError`s. */
async function run<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    throw toStoreError(error, undefined);
  }
}

/**
 * Any Kysely instance or transaction, whatever tables its type names: the caller's database
 * holds the store's table besides its own (Kysely<unknown> would refuse typed instances).
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type AnyKysely = Kysely<any>;

/** The audience API runs on any Kysely whose database holds the store's table. */
function onStoreTables(db: AnyKysely): Kysely<SubscriptionStoreDatabase> {
  // withoutPlugins: a caller's CamelCasePlugin would rename our columns in results.
  return (db as Kysely<SubscriptionStoreDatabase>).withoutPlugins();
}

/**
 * Cuts the audience (every subscription, or one group's) into ranges of `batchSize` session
 * ids, in key order, with a keyset scan: each step asks the primary key (or the
 * `(group_id, session_id)` index) for the `batchSize`-th id after the previous boundary.
 * Only boundaries come back, so memory holds one row per range, whatever the table size.
 *
 * The first range starts at the beginning and the last one is open-ended, so subscriptions
 * added at either end while a broadcast runs are not lost between ranges; an empty audience
 * is one open range with `expected: 0`. Run it in a transaction to record the ranges with
 * the counts they had.
 *
 * @example
 * ```ts
 * const ranges = await db.transaction().execute(async (trx) => {
 *   const ranges = await cutAudience(trx, { groupId: 0, batchSize: 1000 })
 *   await trx.insertInto("my_batches").values(ranges.map(toBatchRow)).execute()
 *   return ranges
 * })
 * ```
 */
export async function cutAudience(
  db: AnyKysely,
  options: CutAudienceOptions,
): Promise<AudienceRange[]> {
  const { groupId, batchSize } = options;
  if (groupId !== undefined) assertGroupId(groupId);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${String(batchSize)}`);
  }
  const store = onStoreTables(db);
  const ranges: AudienceRange[] = [];
  let after: string | null = null;
  for (;;) {
    let boundary = store.selectFrom("subscriptions").select("session_id");
    if (groupId !== undefined) boundary = boundary.where("group_id", "=", groupId);
    if (after !== null) boundary = boundary.where("session_id", ">", after);
    // OFFSET inside one keyset step: the index walk skips batchSize - 1 entries and stops,
    // the same work as reading the page, without sending it.
    const query = boundary
      .orderBy("session_id")
      .offset(batchSize - 1)
      .limit(1);
    const row = await run(() => query.executeTakeFirst());
    if (row === undefined) {
      let rest = store.selectFrom("subscriptions").select((e) => e.fn.countAll().as("n"));
      if (groupId !== undefined) rest = rest.where("group_id", "=", groupId);
      if (after !== null) rest = rest.where("session_id", ">", after);
      const { n } = await run(() => rest.executeTakeFirstOrThrow());
      const expected = Number(n);
      // The open-ended last range; also the only one of an empty audience, so that
      // subscriptions arriving now still get the message.
      if (expected > 0 || ranges.length === 0)
        ranges.push({ afterKey: after, lastKey: null, expected });
      else ranges[ranges.length - 1]!.lastKey = null;
      return ranges;
    }
    ranges.push({ afterKey: after, lastKey: row.session_id, expected: batchSize });
    after = row.session_id;
  }
}

/**
 * The subscriptions of one range, as they are now, read lazily in keyset pages (the reader
 * of the store's `list()`): rows of the group, without the session ids in `except`. Options
 * are checked at the call, as `list()`'s are.
 *
 * @example
 * ```ts
 * for await (const { sessionId, subscription } of readAudienceRange(db, range, { groupId: 3, except })) {
 *   items.push({ subscription, payload, id: sessionId })
 * }
 * ```
 */
export function readAudienceRange(
  db: AnyKysely,
  range: Pick<AudienceRange, "afterKey" | "lastKey">,
  options?: ListOptions,
): AsyncIterable<StoredSubscription> {
  const { afterKey, lastKey } = range ?? {};
  for (const [name, key] of [
    ["afterKey", afterKey],
    ["lastKey", lastKey],
  ] as const) {
    if (key !== null && typeof key !== "string") {
      throw new TypeError(`${name} must be a session id or null, got ${typeof key}`);
    }
  }
  const resolved = resolveListOptions(options);
  return readKeysetPages(onStoreTables(db), { ...resolved, afterKey, lastKey }, run);
}

/** Endpoints per DELETE statement: bounded, so no database's parameter limit is reached. */
const ENDPOINTS_PER_STATEMENT = 1000;

/**
 * Removes the subscriptions with these endpoints (the gone ones of a broadcast batch), all
 * in one transaction: `db`'s own when it is a transaction (so the pruning commits or rolls
 * back with the caller's other writes), or a new one. Resolves with the number removed.
 *
 * @example
 * ```ts
 * await db.transaction().execute(async (trx) => {
 *   await trx.updateTable("my_batches").set({ state: "done" }).where("id", "=", id).execute()
 *   await removeEndpoints(trx, goneEndpoints)
 * })
 * ```
 */
export async function removeEndpoints(db: AnyKysely, endpoints: Iterable<string>): Promise<number> {
  const list = [...endpoints];
  if (list.some((endpoint) => typeof endpoint !== "string")) {
    throw new TypeError("endpoints must be strings");
  }
  if (list.length === 0) return 0;
  const remove = async (trx: Kysely<SubscriptionStoreDatabase>): Promise<number> => {
    let removed = 0;
    for (let i = 0; i < list.length; i += ENDPOINTS_PER_STATEMENT) {
      const chunk = list.slice(i, i + ENDPOINTS_PER_STATEMENT);
      const result = await trx
        .deleteFrom("subscriptions")
        .where("endpoint", "in", chunk)
        .executeTakeFirst();
      removed += Number(result.numDeletedRows);
    }
    return removed;
  };
  const store = onStoreTables(db);
  return run(() => (store.isTransaction ? remove(store) : store.transaction().execute(remove)));
}
