export { describeConnection } from "./describe-connection.ts";
export {
  openPostgresDatabase,
  type PostgresConnectionOptions,
  type PostgresDatabase,
} from "./postgres-database.ts";
export { createPostgresStore, type PostgresStoreOptions } from "./postgres-store.ts";
