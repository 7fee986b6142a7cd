import { StoreError } from "@swp/store";
import {
  type InvalidPythonRow,
  migrateSubscriptionStore,
  openKyselyStore,
  type PythonImportReport,
  type SqlSubscriptionStore,
  type SubscriptionStoreDatabase,
  toStoreError,
} from "@swp/store-kysely";
import { Kysely, PostgresDialect, type PostgresPool, sql } from "kysely";
import pg from "pg";
import { describeConnection } from "./describe-connection.ts";
import { assertSchemaName, searchPath } from "./lib/schema-name.ts";

/**
 * Options of {@link createPostgresStore}: a `connectionString` (the store makes and owns a
 * `pg` pool) or a `pool` of yours (left open on `close()`), plus the store's options.
 *
 * @example
 * ```ts
 * const store = await createPostgresStore({ connectionString: process.env.DATABASE_URL, schema: "push" })
 * ```
 */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database`; the store creates a `pg.Pool` for it and ends it on `close()`. */
  connectionString?: string;
  /**
   * A pool of yours instead (`new pg.Pool(…)`, or anything with kysely's `PostgresPool`
   * shape). The store borrows connections from it and never ends it.
   */
  pool?: PostgresPool;
  /** Connections in the pool the store creates (`max` of `pg.Pool`). Default 10. */
  max?: number;
  /**
   * Keep the store's tables in this schema (created if missing) instead of the first schema
   * of the role's `search_path` (usually `public`). Every connection the store uses gets
   * `SET search_path TO "<schema>"`. Letters, digits and `_`, at most 63 characters.
   */
  schema?: string;
  /** Run the store's migrations at open. Default true. They take a lock, so several app servers may open at once. */
  migrate?: boolean;
  /** Clock for `createdAt`/`updatedAt`, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Accept `http:` endpoints (tests, on-premise push services). Default false. */
  allowHttp?: boolean;
  /** Called for each row of a Python original's `subscriptors` table that could not be imported. */
  onInvalidRow?: (row: InvalidPythonRow) => void;
}

/** pg's int8 (OID 20) as text is what the store expects; this pool keeps pg's defaults. */
function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client whose server connection dies (a restart, a failover) emits 'error' on
  // the pool; without a listener that would crash the process. The next query reconnects.
  pool.on("error", () => {});
  return pool;
}

/**
 * `CREATE SCHEMA IF NOT EXISTS` is not safe against itself: two servers opening at once can
 * both pass the check and one fails on the catalog's unique index. That one lost a race it
 * did not need to win.
 */
async function createSchema(db: Kysely<SubscriptionStoreDatabase>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== "23505" && code !== "42P06") throw error;
  }
}

/** The schema unqualified tables go to: the first existing one of the `search_path`. */
async function currentSchema(db: Kysely<SubscriptionStoreDatabase>): Promise<string> {
  const { rows } = await sql<{ name: string | null }>`select current_schema() as name`.execute(db);
  const name = rows[0]?.name;
  if (!name) {
    throw new StoreError(
      "ERR_STORE_MIGRATION",
      "no schema to create the subscription tables in: the role's search_path names no existing schema (pass { schema })",
    );
  }
  return name;
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
  const { connectionString, pool: givenPool, max = 10, schema } = options;
  if ((connectionString === undefined) === (givenPool === undefined)) {
    throw new TypeError(
      "createPostgresStore needs exactly one of { connectionString } or { pool }",
    );
  }
  if (
    connectionString !== undefined &&
    (typeof connectionString !== "string" || connectionString === "")
  ) {
    throw new TypeError("connectionString must be a non-empty postgres:// URL");
  }
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new RangeError(`max must be a positive integer of connections, got ${max}`);
  }
  if (schema !== undefined) assertSchemaName(schema);

  const path =
    connectionString === undefined ? "PostgreSQL pool" : describeConnection(connectionString);
  const pool = givenPool ?? createPool(connectionString!, max);
  const db = new Kysely<SubscriptionStoreDatabase>({
    dialect: new PostgresDialect({
      pool,
      ...(schema === undefined
        ? {}
        : {
            onReserveConnection: async (connection) => {
              // Set on every checkout, not once per connection: a pool of yours may hand the
              // same client to other code that changes search_path between our queries.
              await connection.executeQuery(searchPath(schema));
            },
          }),
    }),
  });
  // Only a pool the store created is ended with it.
  const release = async () => {
    if (givenPool === undefined) await db.destroy().catch(() => {});
  };

  let report: PythonImportReport | undefined;
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await release();
    throw toStoreError(error, path, "ERR_STORE_OPEN");
  }
  try {
    if (schema !== undefined) await createSchema(db, schema);
    if (options.migrate !== false) {
      report = await migrateSubscriptionStore(db, {
        ...options,
        path,
        schema: schema ?? (await currentSchema(db)),
      });
    }
  } catch (error) {
    await release();
    throw error instanceof StoreError ? error : toStoreError(error, path, "ERR_STORE_MIGRATION");
  }
  return openKyselyStore(db, { ...options, path, destroyOnClose: givenPool === undefined }, report);
}
