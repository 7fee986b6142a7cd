export { describeConnection } from "./describe-connection.ts";
export { createPostgresStore, type PostgresStoreOptions } from "./postgres-store.ts";
