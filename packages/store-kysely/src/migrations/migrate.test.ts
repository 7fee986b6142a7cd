import Database from "better-sqlite3";
import { Kysely, type KyselyPlugin, SqliteDialect, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { MIGRATION_TABLE, migrateSubscriptionStore } from "./index.ts";

/**
 * Fails the first `failures` queries the way PostgreSQL does when another session drops
 * an unrelated schema while kysely's Migrator lists every table (invalid_schema_name).
 */
function vanishingSchemaPlugin(failures: number): KyselyPlugin {
  let left = failures;
  return {
    transformQuery(args) {
      if (left > 0) {
        left--;
        throw Object.assign(new Error('schema "dropped_elsewhere" does not exist'), {
          code: "3F000",
        });
      }
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
}

function database(failures: number): Kysely<unknown> {
  return new Kysely<unknown>({
    dialect: new SqliteDialect({ database: new Database(":memory:") }),
    plugins: [vanishingSchemaPlugin(failures)],
  });
}

describe("migrateSubscriptionStore", () => {
  it("tries again when an unrelated schema vanished while kysely looked for its table", async () => {
    const db = database(2);
    await migrateSubscriptionStore(db);
    const migrated = await sql<{
      name: string;
    }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
    expect(migrated.rows.map((r) => r.name)).toContain("0001_create_subscriptions");
    await db.destroy();
  });

  it("gives up with ERR_STORE_MIGRATION when the schema keeps vanishing", async () => {
    const db = database(Number.POSITIVE_INFINITY);
    await expect(migrateSubscriptionStore(db)).rejects.toMatchObject({
      code: "ERR_STORE_MIGRATION",
      message: expect.stringContaining('schema "dropped_elsewhere" does not exist'),
    });
    await db.destroy();
  });
});
