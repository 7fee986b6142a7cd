export {
  type AnyKysely,
  type AudienceRange,
  type CutAudienceOptions,
  cutAudience,
  readAudienceRange,
  removeEndpoints,
} from "./audience.ts";
export {
  createKyselyStore,
  type KyselyStoreOptions,
  openKyselyStore,
  type SqlSubscriptionStore,
} from "./kysely-store.ts";
export { EXCEPT_IN_QUERY_MAX } from "./lib/keyset-pages.ts";
export type { PythonImportContext } from "./migrations/0002-import-python-subscriptors.ts";
export {
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  type MigrateOptions,
  migrateSubscriptionStore,
  subscriptionStoreMigrations,
} from "./migrations/index.ts";
export type { InvalidPythonRow, PythonImportReport } from "./migrations/python-import-report.ts";
export type {
  BigIntColumn,
  PythonSubscriptorsTable,
  SubscriptionStoreDatabase,
  SubscriptionsTable,
} from "./schema.ts";
export { toStoreError } from "./to-store-error.ts";
