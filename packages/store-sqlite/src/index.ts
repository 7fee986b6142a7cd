// The dialect-portable store moved to @swp/store-kysely; re-exported so that code written
// against this package's earlier API keeps working.
export {
  createKyselyStore,
  EXCEPT_IN_QUERY_MAX,
  type InvalidPythonRow,
  type KyselyStoreOptions,
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  type MigrateOptions,
  migrateSubscriptionStore,
  type PythonImportReport,
  type PythonSubscriptorsTable,
  type SqlSubscriptionStore,
  type SubscriptionStoreDatabase,
  type SubscriptionsTable,
} from "@swp/store-kysely";
export { createSqliteStore, DEFAULT_SQLITE_PATH, type SqliteStoreOptions } from "./sqlite-store.ts";
