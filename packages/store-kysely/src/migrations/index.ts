import { StoreError } from "@swp/store";
import { type Kysely, type MigrationProvider, Migrator } from "kysely";
import { createSubscriptions } from "./0001-create-subscriptions.ts";
import {
  importPythonSubscriptors,
  type PythonImportContext,
} from "./0002-import-python-subscriptors.ts";
import type { InvalidPythonRow, PythonImportReport } from "./python-import-report.ts";

/** The store's own migration bookkeeping tables, apart from any `kysely_migration` of yours. */
export const MIGRATION_TABLE = "swp_store_migration";
/** @see MIGRATION_TABLE */
export const MIGRATION_LOCK_TABLE = "swp_store_migration_lock";

/**
 * Options of {@link migrateSubscriptionStore}.
 *
 * @example
 * ```ts
 * await migrateSubscriptionStore(db, { onInvalidRow: (row) => log.warn(row) })
 * ```
 */
export interface MigrateOptions {
  /** Clock for the timestamps of imported rows, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /**
   * @deprecated No effect: rows with `http:` endpoints are imported like `https:` ones.
   * Whether one may be used is transport policy, checked by the sender at send time.
   */
  allowHttp?: boolean;
  /** Called for each Python row that could not be imported. */
  onInvalidRow?: (row: InvalidPythonRow) => void;
  /** Names the database in error messages. */
  path?: string;
  /**
   * The schema of the bookkeeping tables, on databases with schemas (PostgreSQL): the one the
   * store's tables go to, i.e. the first of the `search_path`. Without it kysely looks for
   * them in every schema and may take another schema's for ours.
   */
  schema?: string;
}

/**
 * The store's migrations as code (a static provider: nothing is read from disk, so they
 * survive bundling). Names sort in the order they must run. `migrateSubscriptionStore`
 * runs them; use this provider to run them with a `Migrator` of your own.
 *
 * @example
 * ```ts
 * const migrator = new Migrator({
 *   db,
 *   provider: subscriptionStoreMigrations({ now: Date.now, allowHttp: false, onInvalidRow: undefined, report: () => {} }),
 *   migrationTableName: MIGRATION_TABLE,
 *   migrationLockTableName: MIGRATION_LOCK_TABLE,
 * })
 * ```
 */
export function subscriptionStoreMigrations(context: PythonImportContext): MigrationProvider {
  return {
    async getMigrations() {
      return {
        "0001_create_subscriptions": createSubscriptions,
        "0002_import_python_subscriptors": importPythonSubscriptors(context),
      };
    },
  };
}

/**
 * Brings a database to the store's latest schema with kysely's `Migrator`, importing the
 * Python original's `subscriptors` table on the way when there is one. Returns the import
 * report, if an import happened. `createKyselyStore` calls it unless told not to; call
 * it yourself to migrate at deploy time.
 *
 * On SQLite, kysely runs migrations without a transaction or a lock; `createSqliteStore`
 * wraps this call in `BEGIN IMMEDIATE … COMMIT` so it is atomic and one process at a time.
 *
 * @example
 * ```ts
 * const report = await migrateSubscriptionStore(db)
 * if (report) console.log(`imported ${report.imported} subscriptions from the Python table`)
 * ```
 */
export async function migrateSubscriptionStore<DB>(
  db: Kysely<DB>,
  options: MigrateOptions = {},
): Promise<PythonImportReport | undefined> {
  let report: PythonImportReport | undefined;
  const migrator = new Migrator({
    db,
    provider: subscriptionStoreMigrations({
      now: options.now ?? Date.now,
      allowHttp: options.allowHttp === true,
      onInvalidRow: options.onInvalidRow,
      report: (r) => {
        report = r;
      },
    }),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(options.schema === undefined ? {} : { migrationTableSchema: options.schema }),
  });
  let outcome = await migrator.migrateToLatest();
  // kysely's Migrator looks for its own table by listing every table of every schema, and on
  // PostgreSQL that query fails (3F000) when another session drops some unrelated schema
  // while it runs. Nothing was migrated then, and migrating is idempotent: try again.
  for (let retry = 0; retry < 3 && isVanishedSchemaError(outcome.error); retry++) {
    outcome = await migrator.migrateToLatest();
  }
  const { error, results } = outcome;
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new StoreError(
      "ERR_STORE_MIGRATION",
      `subscription store migration ${failed ?? "setup"} failed${options.path === undefined ? "" : ` (${options.path})`}: ${(error as Error)?.message ?? String(error)}`,
      { cause: error, path: options.path },
    );
  }
  return report;
}

/** PostgreSQL's invalid_schema_name, raised before any migration ran. */
function isVanishedSchemaError(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && (error as { code?: unknown }).code === "3F000"
  );
}
