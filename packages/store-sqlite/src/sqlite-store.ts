import {
  type InvalidPythonRow,
  migrateSubscriptionStore,
  openKyselyStore,
  type PythonImportReport,
  type SqlSubscriptionStore,
  type SubscriptionStoreDatabase,
  toStoreError,
} from "@swp/store-kysely";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { openPrivately } from "./lib/private-file.ts";
import { installPythonMirror } from "./lib/python-mirror.ts";
import { withStatementCache } from "./lib/statement-cache.ts";

/** Default database file, the Python original's name, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = "subscriptors.db";

/**
 * Options of {@link createSqliteStore}.
 *
 * @example
 * ```ts
 * const store = await createSqliteStore({ path: "/var/lib/app/subscriptors.db", busyTimeout: 10_000 })
 * ```
 */
export interface SqliteStoreOptions {
  /** The database file; created with its schema if missing. `":memory:"` for a private in-memory one. Default `"subscriptors.db"`. */
  path?: string;
  /** How long (ms) a write waits for another process's write to finish before `ERR_STORE_BUSY`. Default 5000. */
  busyTimeout?: number;
  /**
   * SQLite's `synchronous` setting. `"normal"` (default): in WAL mode every committed write
   * survives the process being killed, and only the last commits before a power loss or OS
   * crash can be rolled back. `"full"`: commits survive power loss too, at the cost of an
   * fsync per write.
   */
  synchronous?: "normal" | "full";
  /** Clock for `createdAt`/`updatedAt`, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Accept `http:` endpoints (tests, on-premise push services). Default false. */
  allowHttp?: boolean;
  /** Called for each row of a Python original's `subscriptors` table that could not be imported. */
  onInvalidRow?: (row: InvalidPythonRow) => void;
  /**
   * Keep the Python original's `subscriptors` table, when the file has one, in step with
   * ours both ways (SQLite triggers), so that the original keeps working on the same file
   * during a migration or after a rollback. Default true. `false` removes the triggers and
   * leaves both tables as they are. See "Migrating from solidwebpush" in the README.
   */
  syncPythonTable?: boolean;
}

/**
 * The SQLite {@link SqlSubscriptionStore} the facade uses: `subscriptors.db` by default,
 * created with its schema on first use, upgraded by versioned migrations, and a Python
 * original's database imported in place (invalid rows reported in `migrationReport` and
 * to `onInvalidRow`, a copy of the old table kept as `subscriptors_python_backup`) and its
 * `subscriptors` table kept in step with ours, so that the original can keep using the
 * file. A file it creates is readable by its owner only (0600).
 *
 * The file runs in WAL mode with `synchronous=NORMAL` and a busy timeout: several
 * processes can read and write it at once, and a committed `put` survives the process
 * being killed (not a power cut; see the README). Failures to open — a missing directory,
 * a read-only file, a file that is not SQLite — are `StoreError`s naming the path.
 *
 * @example
 * ```ts
 * import { createSqliteStore } from "@swp/store-sqlite"
 *
 * const store = await createSqliteStore() // ./subscriptors.db
 * await store.put(sessionId, subscriptionJson, 0)
 * for await (const { subscription } of store.list({ groupId: 0 })) await sender.send(subscription, "hi")
 * await store.close()
 * ```
 */
export async function createSqliteStore(
  options: SqliteStoreOptions = {},
): Promise<SqlSubscriptionStore> {
  const path = options.path ?? DEFAULT_SQLITE_PATH;
  const busyTimeout = options.busyTimeout ?? 5000;
  const synchronous = options.synchronous ?? "normal";
  if (synchronous !== "normal" && synchronous !== "full") {
    throw new RangeError(`synchronous must be "normal" or "full", got ${String(synchronous)}`);
  }
  if (!Number.isSafeInteger(busyTimeout) || busyTimeout < 0) {
    throw new RangeError(
      `busyTimeout must be a non-negative integer of milliseconds, got ${busyTimeout}`,
    );
  }

  let sqlite: Database.Database;
  try {
    // A new file is made owner-only before its first write: it will hold auth secrets.
    sqlite = openPrivately(path, () => new Database(path, { timeout: busyTimeout }));
  } catch (error) {
    throw toStoreError(error, path, "ERR_STORE_OPEN");
  }

  let report: PythonImportReport | undefined;
  const db = new Kysely<SubscriptionStoreDatabase>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  try {
    // The first statements read the file header: a file that is not SQLite fails here.
    // WAL lets readers and one writer work at once across processes; in WAL mode
    // synchronous=NORMAL still makes every commit durable against a process crash
    // (the WAL is written before COMMIT returns), only the last commits before a power
    // loss can be rolled back.
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma(`synchronous = ${synchronous === "full" ? "FULL" : "NORMAL"}`);
    // kysely runs SQLite migrations without a transaction or lock. BEGIN IMMEDIATE takes
    // the write lock first (waiting up to busy_timeout), so two processes opening a new
    // file at once migrate one after the other, and a failed migration rolls back whole.
    // It also makes a read-only file fail here, at open, with SQLITE_READONLY.
    sqlite.exec("BEGIN IMMEDIATE");
    try {
      report = await migrateSubscriptionStore(db, { ...options, path });
      // In the same transaction: a Python original using the file never sees our schema
      // without the triggers that keep its table current. When the import just ran, the
      // tables agree already (and the import's stricter checks must not be redone in SQL).
      installPythonMirror(sqlite, {
        enabled: options.syncPythonTable !== false,
        reconcile: report === undefined,
      });
      sqlite.exec("COMMIT");
    } finally {
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
    }
  } catch (error) {
    await db.destroy().catch(() => {});
    if (sqlite.open) sqlite.close();
    throw toStoreError(error, path, "ERR_STORE_OPEN");
  }

  return openKyselyStore(db, { ...options, path, destroyOnClose: true }, report);
}
