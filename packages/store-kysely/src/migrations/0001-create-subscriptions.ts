import type { Kysely, Migration } from "kysely";

/**
 * Creates `subscriptions`. Types are the portable ones (`varchar`, `text`, `bigint`) so
 * the same migration runs on PostgreSQL; SQLite maps them to TEXT and INTEGER affinity.
 */
export const createSubscriptions: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("subscriptions")
      .addColumn("session_id", "varchar(256)", (c) => c.notNull().primaryKey())
      .addColumn("endpoint", "text", (c) => c.notNull().unique())
      .addColumn("p256dh", "text", (c) => c.notNull())
      .addColumn("auth", "text", (c) => c.notNull())
      .addColumn("expiration_time", "bigint")
      .addColumn("group_id", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    // Group first, then session id: serves count({ groupId }) and the keyset pages of
    // list({ groupId }) (WHERE group_id = ? AND session_id > ? ORDER BY session_id).
    await db.schema
      .createIndex("subscriptions_group_id_session_id")
      .on("subscriptions")
      .columns(["group_id", "session_id"])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable("subscriptions").execute();
  },
};
