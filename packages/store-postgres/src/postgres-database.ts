import { StoreError } from "@swp/store";
import { toStoreError } from "@swp/store-kysely";
import { Kysely, PostgresDialect, type PostgresPool, sql } from "kysely";
import pg from "pg";
import { describeConnection } from "./describe-connection.ts";
import { assertSchemaName, searchPath } from "./lib/schema-name.ts";

/**
 * Where a PostgreSQL-backed `@swp/*` component finds its database: a `connectionString` (it
 * makes and owns a `pg` pool) or a `pool` of yours (never ended by it), and optionally the
 * schema its tables live in.
 *
 * @example
 * ```ts
 * const where: PostgresConnectionOptions = { connectionString: process.env.DATABASE_URL, schema: "push" }
 * ```
 */
export interface PostgresConnectionOptions {
  /** `postgres://user:password@host:5432/database`; a `pg.Pool` is created for it and ended on close. */
  connectionString?: string;
  /**
   * A pool of yours instead (`new pg.Pool(…)`, or anything with kysely's `PostgresPool`
   * shape). Connections are borrowed from it; it is never ended.
   */
  pool?: PostgresPool;
  /** Connections in the pool created for `connectionString` (`max` of `pg.Pool`). Default 10. */
  max?: number;
  /**
   * Keep the tables in this schema (created if missing) instead of the first schema of the
   * role's `search_path` (usually `public`). Every connection used gets
   * `SET search_path TO "<schema>"`. Letters, digits and `_`, at most 63 characters.
   */
  schema?: string;
}

/**
 * An open PostgreSQL database: a Kysely instance whose unqualified tables are in `schema`.
 *
 * @example
 * ```ts
 * const { db, schema, close } = await openPostgresDatabase({ connectionString })
 * ```
 */
export interface PostgresDatabase {
  // biome-ignore lint/suspicious/noExplicitAny: callers type it with their own tables (`db as Kysely<MyTables>`)
  readonly db: Kysely<any>;
  /** The schema unqualified tables go to. */
  readonly schema: string;
  /** Names the database in messages: `postgres://user@host:port/database`, never the password. */
  readonly path: string;
  /** Ends the pool if it was created here; leaves a pool of yours open. */
  close(): Promise<void>;
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
async function createSchema(db: Kysely<unknown>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== "23505" && code !== "42P06") throw error;
  }
}

/** The schema unqualified tables go to: the first existing one of the `search_path`. */
async function currentSchema(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ name: string | null }>`select current_schema() as name`.execute(db);
  const name = rows[0]?.name;
  if (!name) {
    throw new StoreError(
      "ERR_STORE_OPEN",
      "no schema to create the subscription tables in: the role's search_path names no existing schema (pass { schema })",
    );
  }
  return name;
}

/**
 * Opens a PostgreSQL database for the `@swp/*` components that keep tables in it (this
 * store, `@swp/broadcast`): checks the options, connects once (a server that cannot be
 * reached, a wrong password or a missing database fail here with `ERR_STORE_OPEN`, naming
 * user, host and database but never the password), creates `schema` if asked to, and
 * resolves which schema the tables go to.
 *
 * @example
 * ```ts
 * const { db, close } = await openPostgresDatabase({ connectionString: process.env.DATABASE_URL, schema: "push" })
 * console.log((await sql`select count(*) from subscriptions`.execute(db)).rows)
 * await close()
 * ```
 */
export async function openPostgresDatabase(
  options: PostgresConnectionOptions,
): Promise<PostgresDatabase> {
  if (options === null || typeof options !== "object") {
    throw new TypeError("a PostgreSQL database needs { connectionString } or { pool }");
  }
  const { connectionString, pool: givenPool, max = 10, schema } = options;
  if ((connectionString === undefined) === (givenPool === undefined)) {
    throw new TypeError(
      "a PostgreSQL database needs exactly one of { connectionString } or { pool }",
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
  // biome-ignore lint/suspicious/noExplicitAny: see PostgresDatabase.db
  const db = new Kysely<any>({
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
  // Only a pool created here is ended with it.
  const close = async () => {
    if (givenPool === undefined) await db.destroy().catch(() => {});
  };
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await close();
    throw toStoreError(error, path, "ERR_STORE_OPEN");
  }
  try {
    if (schema !== undefined) await createSchema(db, schema);
    return { db, schema: schema ?? (await currentSchema(db)), path, close };
  } catch (error) {
    await close();
    throw toStoreError(error, path, "ERR_STORE_OPEN");
  }
}
