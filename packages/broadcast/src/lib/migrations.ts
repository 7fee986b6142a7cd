import { type Kysely, type Migration, Migrator } from "kysely";
import { BroadcastError } from "../errors.ts";

/** Bookkeeping of the broadcast tables' migrations, apart from the store's. */
const MIGRATION_TABLE = "swp_broadcast_migration";
const MIGRATION_LOCK_TABLE = "swp_broadcast_migration_lock";

const createBroadcasts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("swp_broadcasts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("payload", "text", (c) => c.notNull())
      .addColumn("send_options", "text", (c) => c.notNull())
      .addColumn("group_id", "bigint")
      .addColumn("except_ids", "text", (c) => c.notNull())
      .addColumn("batch_size", "integer", (c) => c.notNull())
      .addColumn("batches", "integer", (c) => c.notNull())
      .addColumn("expected", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("swp_broadcast_batches")
      .addColumn("broadcast_id", "text", (c) =>
        c.notNull().references("swp_broadcasts.id").onDelete("cascade"),
      )
      .addColumn("batch_no", "integer", (c) => c.notNull())
      .addColumn("after_key", "varchar(256)")
      .addColumn("last_key", "varchar(256)")
      .addColumn("expected", "integer", (c) => c.notNull())
      .addColumn("job_id", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull().defaultTo("pending"))
      .addColumn("sent", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("gone", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("failed", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("worker", "text")
      .addColumn("started_at", "bigint")
      .addColumn("finished_at", "bigint")
      .addColumn("error", "text")
      .addPrimaryKeyConstraint("swp_broadcast_batches_pk", ["broadcast_id", "batch_no"])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable("swp_broadcast_batches").execute();
    await db.schema.dropTable("swp_broadcasts").execute();
  },
};

/**
 * Creates or upgrades the broadcast tables in `schema` (PostgreSQL runs each migration in a
 * transaction, under kysely's migration lock: coordinators and workers may start at once).
 */
// biome-ignore lint/suspicious/noExplicitAny: any typed Kysely (migrations are untyped)
export async function migrateBroadcastTables(db: Kysely<any>, schema: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ "0001_create_broadcasts": createBroadcasts }) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    migrationTableSchema: schema,
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new BroadcastError(
      "ERR_BROADCAST_DATABASE",
      `the broadcast tables could not be created: ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    );
  }
}
