import {
  type InvalidPythonRow,
  migrateSubscriptionStore,
  openKyselyStore,
  type PythonImportReport,
  type SqlSubscriptionStore,
  type SubscriptionStoreDatabase,
  toStoreError,
} from "@swp/store-kysely";
import type { Kysely } from "kysely";
import { openPostgresDatabase, type PostgresConnectionOptions } from "./postgres-database.ts";

/**
 * Options of {@link createPostgresStore}: a `connectionString` (the store makes and owns a
 * `pg` pool) or a `pool` of yours (left open on `close()`), an optional `schema`, plus the
 * store's options.
 *
 * @example
 * ```ts
 * const store = await createPostgresStore({ connectionString: process.env.DATABASE_URL, schema: "push" })
 * ```
 */
export interface PostgresStoreOptions extends PostgresConnectionOptions {
  /** Run the store's migrations at open. Default true. They take a lock, so several app servers may open at once. */
  migrate?: boolean;
  /** Clock for `createdAt`/`updatedAt`, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Called for each row of a Python original's `subscriptors` table that could not be imported. */
  onInvalidRow?: (row: InvalidPythonRow) => void;
}

/**
 * The subscription store on PostgreSQL: the kysely store of `@swp/store-kysely` over
 * kysely's `PostgresDialect` and `pg`. Several app servers (and `swp worker` processes)
 * share one database; the schema is created or upgraded by the same migrations as on
 * SQLite, under a lock, at open. Opening checks the connection: a server that cannot be
 * reached, a wrong password or a missing database fail here with `ERR_STORE_OPEN` (the
 * message names user, host and database, never the password).
 *
 * Timestamps are `bigint` milliseconds, which `pg` returns as strings: the store parses
 * them, so `createdAt`/`updatedAt` are `Date`s and `groupId` a number as on SQLite.
 *
 * @example
 * ```ts
 * import { createPostgresStore } from "@swp/store-postgres"
 *
 * const store = await createPostgresStore({ connectionString: "postgres://app:secret@db:5432/app" })
 * await store.put(sessionId, subscriptionJson, 0)
 * console.log(await store.count())
 * await store.close()
 * ```
 */
export async function createPostgresStore(
  options: PostgresStoreOptions,
): Promise<SqlSubscriptionStore> {
  if (options === null || typeof options !== "object") {
    throw new TypeError("createPostgresStore needs { connectionString } or { pool }");
  }
  const { db, schema, path, close } = await openPostgresDatabase(options);
  let report: PythonImportReport | undefined;
  try {
    if (options.migrate !== false) {
      report = await migrateSubscriptionStore(db, { ...options, path, schema });
    }
  } catch (error) {
    await close();
    throw toStoreError(error, path, "ERR_STORE_MIGRATION");
  }
  return openKyselyStore(
    db as Kysely<SubscriptionStoreDatabase>,
    { ...options, path, destroyOnClose: options.pool === undefined },
    report,
  );
}
