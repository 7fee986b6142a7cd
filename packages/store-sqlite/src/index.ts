export {
  createKyselyStore,
  EXCEPT_IN_QUERY_MAX,
  type KyselyStoreOptions,
  type SqlSubscriptionStore,
} from "./kysely-store.ts";
export {
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  type MigrateOptions,
  migrateSubscriptionStore,
} from "./migrations/index.ts";
export type { InvalidPythonRow, PythonImportReport } from "./migrations/python-import-report.ts";
export type {
  PythonSubscriptorsTable,
  SubscriptionStoreDatabase,
  SubscriptionsTable,
} from "./schema.ts";
export { createSqliteStore, DEFAULT_SQLITE_PATH, type SqliteStoreOptions } from "./sqlite-store.ts";
