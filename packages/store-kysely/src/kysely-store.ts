import {
  assertGroupId,
  assertSessionId,
  type CountOptions,
  type ListOptions,
  resolveEndpoint,
  resolveListOptions,
  resolvePut,
  type StoredSubscription,
  StoreError,
  type SubscriptionStore,
} from "@swp/store";
import type { PushSubscription } from "@swp/subscription";
import type { CompiledQuery, Kysely } from "kysely";
import { readKeysetPages } from "./lib/keyset-pages.ts";
import { compileTemplate } from "./lib/query-template.ts";
import { toStored } from "./lib/to-stored.ts";
import { migrateSubscriptionStore } from "./migrations/index.ts";
import type { InvalidPythonRow, PythonImportReport } from "./migrations/python-import-report.ts";
import type { SubscriptionStoreDatabase } from "./schema.ts";
import { toStoreError } from "./to-store-error.ts";

/**
 * Options of {@link createKyselyStore}.
 *
 * @example
 * ```ts
 * const store = await createKyselyStore(db, { migrate: false, destroyOnClose: true })
 * ```
 */
export interface KyselyStoreOptions {
  /** Run the store's migrations (and the Python import) first. Default true. */
  migrate?: boolean;
  /** `close()` also destroys the Kysely instance. Default false: the caller owns it. */
  destroyOnClose?: boolean;
  /** Clock for `createdAt`/`updatedAt`, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Called for each row of a Python original's table that could not be imported. */
  onInvalidRow?: (row: InvalidPythonRow) => void;
  /** Names the database in error messages (a file path, a host…). */
  path?: string;
}

/**
 * A {@link SubscriptionStore} on a SQL database, with what its opening found.
 *
 * @example
 * ```ts
 * const store = await createSqliteStore()
 * console.log(store.migrationReport?.imported ?? 0)
 * ```
 */
export interface SqlSubscriptionStore extends SubscriptionStore {
  /** The report of the Python `subscriptors` import this opening ran, if it ran one. */
  readonly migrationReport: PythonImportReport | undefined;
}

const PUT_PARAMS = [
  "sessionId",
  "endpoint",
  "p256dh",
  "auth",
  "expirationTime",
  "groupId",
  "now",
] as const;
type PutParam = (typeof PUT_PARAMS)[number];
interface PutQueries {
  freeEndpoint: (values: Record<PutParam, unknown>) => CompiledQuery;
  upsert: (values: Record<PutParam, unknown>) => CompiledQuery;
}

/** Tries of a put that lost a race for its endpoint (see `put`). */
const PUT_ATTEMPTS = 5;

/** A unique violation on `endpoint`: PostgreSQL's SQLSTATE 23505 naming the constraint. */
function isEndpointConflict(error: unknown): boolean {
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === "23505" && typeof constraint === "string" && constraint.includes("endpoint");
}

class KyselyStore implements SqlSubscriptionStore {
  readonly #db: Kysely<SubscriptionStoreDatabase>;
  readonly #now: () => number;
  readonly #destroyOnClose: boolean;
  readonly #path: string | undefined;
  readonly migrationReport: PythonImportReport | undefined;
  #closed = false;

  constructor(
    db: Kysely<SubscriptionStoreDatabase>,
    options: KyselyStoreOptions,
    report: PythonImportReport | undefined,
  ) {
    // The caller's plugins (e.g. CamelCasePlugin) would rename our columns in results.
    this.#db = db.withoutPlugins();
    this.#now = options.now ?? Date.now;
    this.#destroyOnClose = options.destroyOnClose === true;
    this.#path = options.path;
    this.migrationReport = report;
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new StoreError(
        "ERR_STORE_CLOSED",
        `the subscription store${this.#path ? ` (${this.#path})` : ""} is closed`,
        {
          path: this.#path,
        },
      );
    }
  }

  /** Runs database work, turning driver errors into StoreErrors naming the database. */
  async #query<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toStoreError(error, this.#path);
    }
  }

  async put(
    sessionId: string,
    subscription: PushSubscription | string | object,
    groupId = 0,
  ): Promise<void> {
    this.#assertOpen();
    const put = resolvePut(sessionId, subscription, groupId);
    const values: Record<PutParam, unknown> = {
      sessionId: put.sessionId,
      endpoint: put.subscription.endpoint,
      p256dh: put.subscription.keys.p256dh,
      auth: put.subscription.keys.auth,
      expirationTime: put.subscription.expirationTime ?? null,
      groupId: put.groupId,
      now: this.#now(),
    };
    const { freeEndpoint, upsert } = this.#putQueries();
    await this.#query(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.#db.transaction().execute(async (trx) => {
            // The write comes first on purpose: on SQLite a deferred transaction that starts
            // with a read cannot wait for another process's write lock (it would fail with
            // SQLITE_BUSY at once); one that starts with a write waits up to busy_timeout.
            // It also frees the endpoint if another session id holds it: the contract's
            // endpoint-move rule (`planEndpointMove` of @swp/store) as one SQL statement.
            await trx.executeQuery(freeEndpoint(values));
            await trx.executeQuery(upsert(values));
          });
        } catch (error) {
          // Two concurrent moves of one endpoint on a database with concurrent writers
          // (PostgreSQL, READ COMMITTED): neither DELETE saw the other's uncommitted row, so
          // the second INSERT hits the unique endpoint. Run again: the DELETE now sees the
          // committed row and the move rule holds (the later put wins).
          if (attempt >= PUT_ATTEMPTS || !isEndpointConflict(error)) throw error;
        }
      }
    });
  }

  #putTemplates: PutQueries | undefined;

  /** put's two statements, compiled once per store (see compileTemplate). */
  #putQueries(): PutQueries {
    if (this.#putTemplates !== undefined) return this.#putTemplates;
    const db = this.#db;
    const freeEndpoint = compileTemplate(PUT_PARAMS, (p) =>
      db
        .deleteFrom("subscriptions")
        .where("endpoint", "=", p("endpoint"))
        .where("session_id", "<>", p("sessionId")),
    );
    const upsert = compileTemplate(PUT_PARAMS, (p) => {
      const columns = {
        endpoint: p("endpoint"),
        p256dh: p("p256dh"),
        auth: p("auth"),
        expiration_time: p("expirationTime"),
        group_id: p("groupId"),
        updated_at: p("now"),
      };
      return db
        .insertInto("subscriptions")
        .values({ session_id: p("sessionId"), ...columns, created_at: p("now") })
        .onConflict((conflict) => conflict.column("session_id").doUpdateSet(columns));
    });
    this.#putTemplates = { freeEndpoint, upsert };
    return this.#putTemplates;
  }

  async remove(sessionId: string): Promise<boolean> {
    this.#assertOpen();
    assertSessionId(sessionId);
    const result = await this.#query(() =>
      this.#db.deleteFrom("subscriptions").where("session_id", "=", sessionId).executeTakeFirst(),
    );
    return result.numDeletedRows > 0n;
  }

  async removeByEndpoint(endpoint: string): Promise<boolean> {
    this.#assertOpen();
    const canonical = resolveEndpoint(endpoint);
    const result = await this.#query(() =>
      this.#db.deleteFrom("subscriptions").where("endpoint", "=", canonical).executeTakeFirst(),
    );
    return result.numDeletedRows > 0n;
  }

  async get(sessionId: string): Promise<StoredSubscription | undefined> {
    this.#assertOpen();
    assertSessionId(sessionId);
    const row = await this.#query(() =>
      this.#db
        .selectFrom("subscriptions")
        .selectAll()
        .where("session_id", "=", sessionId)
        .executeTakeFirst(),
    );
    return row === undefined ? undefined : toStored(row);
  }

  async findSessionId(
    endpointOrSubscription: string | PushSubscription,
  ): Promise<string | undefined> {
    this.#assertOpen();
    const endpoint = resolveEndpoint(endpointOrSubscription);
    const row = await this.#query(() =>
      this.#db
        .selectFrom("subscriptions")
        .select("session_id")
        .where("endpoint", "=", endpoint)
        .executeTakeFirst(),
    );
    return row?.session_id;
  }

  list(options?: ListOptions): AsyncIterable<StoredSubscription> {
    // Resolved now, so bad options throw at the call and `except` is read exactly once.
    const resolved = resolveListOptions(options);
    return readKeysetPages(this.#db, { ...resolved, afterKey: null, lastKey: null }, (query) => {
      this.#assertOpen();
      return this.#query(query);
    });
  }

  async count(options: CountOptions = {}): Promise<number> {
    this.#assertOpen();
    const { groupId } = options;
    if (groupId !== undefined) assertGroupId(groupId);
    const row = await this.#query(() => {
      let query = this.#db.selectFrom("subscriptions").select((e) => e.fn.countAll().as("n"));
      if (groupId !== undefined) query = query.where("group_id", "=", groupId);
      return query.executeTakeFirstOrThrow();
    });
    return Number(row.n);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#destroyOnClose) await this.#query(() => this.#db.destroy());
  }
}

/**
 * A {@link SubscriptionStore} over any Kysely instance: the schema and queries are
 * portable, and the same conformance suite passes on SQLite (`@swp/store-sqlite`) and
 * PostgreSQL (`@swp/store-postgres`). Runs the store's
 * migrations first (see `migrateSubscriptionStore`) unless `migrate: false`; by default
 * `close()` leaves `db` open for its owner.
 *
 * Values are always bound as parameters. Tables: `subscriptions`, plus the migration
 * bookkeeping `swp_store_migration` and `swp_store_migration_lock`.
 *
 * @example
 * ```ts
 * import Database from "better-sqlite3"
 * import { Kysely, SqliteDialect } from "kysely"
 * import { createKyselyStore } from "@swp/store-kysely"
 *
 * const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database("app.db") }) })
 * const store = await createKyselyStore(db)
 * await store.put(sessionId, subscription)
 * ```
 */
export async function createKyselyStore(
  // biome-ignore lint/suspicious/noExplicitAny: a Kysely of any database type is accepted (Kysely<unknown> would refuse typed instances)
  db: Kysely<any>,
  options: KyselyStoreOptions = {},
): Promise<SqlSubscriptionStore> {
  let report: PythonImportReport | undefined;
  if (options.migrate !== false) {
    try {
      report = await migrateSubscriptionStore(db, options);
    } catch (error) {
      throw toStoreError(error, options.path, "ERR_STORE_MIGRATION");
    }
  }
  return openKyselyStore(db as Kysely<SubscriptionStoreDatabase>, options, report);
}

/**
 * The store over a database that is already migrated, without running the migrations:
 * for dialect packages that migrate in their own way (`createSqliteStore` runs them inside
 * `BEGIN IMMEDIATE`) and hand over the import report they got.
 *
 * @example
 * ```ts
 * const report = await migrateSubscriptionStore(db)
 * const store = openKyselyStore(db, { destroyOnClose: true }, report)
 * ```
 */
export function openKyselyStore(
  db: Kysely<SubscriptionStoreDatabase>,
  options: KyselyStoreOptions,
  report: PythonImportReport | undefined,
): SqlSubscriptionStore {
  return new KyselyStore(db, options, report);
}
