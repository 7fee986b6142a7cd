import { describeSubscriptionStore } from "@swp/store/conformance";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createKyselyStore } from "./kysely-store.ts";
import { EXCEPT_IN_QUERY_MAX } from "./lib/keyset-pages.ts";
import { MIGRATION_TABLE, migrateSubscriptionStore } from "./migrations/index.ts";
import { subscription } from "./test-support/fixtures.ts";

/** Any table, any column: the caller's own database, untyped for the test. */
type LooseDatabase = Record<string, Record<string, unknown>>;

function userDb(): { db: Kysely<LooseDatabase>; sqlite: Database.Database } {
  const sqlite = new Database(":memory:");
  return {
    db: new Kysely<LooseDatabase>({ dialect: new SqliteDialect({ database: sqlite }) }),
    sqlite,
  };
}

describeSubscriptionStore(
  "createKyselyStore over a caller's Kysely",
  ({ now }) => createKyselyStore(userDb().db, { now, destroyOnClose: true }),
  { describe, it, expect },
  { clock: true },
);

describe("createKyselyStore", () => {
  it("leaves the caller's Kysely open on close unless told otherwise", async () => {
    const { db, sqlite } = userDb();
    const store = await createKyselyStore(db);
    await store.put("a", subscription(1));
    await store.close();
    expect(sqlite.open).toBe(true);
    expect(
      (await sql<{ n: number }>`select count(*) as n from subscriptions`.execute(db)).rows[0]?.n,
    ).toBe(1);
    await db.destroy();
  });

  it("keeps its migration bookkeeping apart from the caller's own kysely_migration", async () => {
    const { db } = userDb();
    await db.schema.createTable("kysely_migration").addColumn("name", "text").execute();
    await db.insertInto("kysely_migration").values({ name: "2020_users" }).execute();
    await createKyselyStore(db);
    const own = await db.selectFrom(MIGRATION_TABLE).select("name").orderBy("name").execute();
    expect(own.map((r) => r.name)).toEqual([
      "0001_create_subscriptions",
      "0002_import_python_subscriptors",
    ]);
    expect(await db.selectFrom("kysely_migration").select("name").execute()).toEqual([
      { name: "2020_users" },
    ]);
    await db.destroy();
  });

  it("with migrate: false expects the schema to be there (migrated at deploy time)", async () => {
    const { db } = userDb();
    const early = await createKyselyStore(db, { migrate: false });
    await expect(early.count()).rejects.toMatchObject({
      name: "StoreError",
      code: "ERR_STORE_QUERY",
    });
    expect(await migrateSubscriptionStore(db)).toBe(undefined);
    const store = await createKyselyStore(db, { migrate: false });
    await store.put("a", subscription(1));
    expect(await store.count()).toBe(1);
    await db.destroy();
  });

  it("binds every value as a parameter and pages by keyset, never OFFSET", async () => {
    const queries: Array<{ sql: string; parameters: readonly unknown[] }> = [];
    const logged = new Kysely<LooseDatabase>({
      dialect: new SqliteDialect({ database: new Database(":memory:") }),
      log: (event) => {
        queries.push(event.query);
      },
    });
    const store = await createKyselyStore(logged);
    const hostile = "x' OR '1'='1";
    await store.put(hostile, subscription(1), 3);
    for (let n = 0; n < 5; n++) await store.put(`s${n}`, subscription(n + 10), 3);
    queries.length = 0;
    const small = new Set(["s1"]);
    const large = new Set(Array.from({ length: EXCEPT_IN_QUERY_MAX + 1 }, (_, n) => `absent-${n}`));
    large.add("s2");
    const listed = [];
    for await (const row of store.list({ groupId: 3, except: small, pageSize: 2 }))
      listed.push(row.sessionId);
    const smallQueries = queries.splice(0);
    for await (const row of store.list({ groupId: 3, except: large, pageSize: 2 }))
      listed.push(row.sessionId);
    const largeQueries = queries.splice(0);

    expect(listed).toEqual(["s0", "s2", "s3", "s4", hostile, "s0", "s1", "s3", "s4", hostile]);
    for (const q of [...smallQueries, ...largeQueries]) {
      expect(q.sql).not.toContain(hostile);
      expect(q.sql.toLowerCase()).not.toContain("offset");
      expect(q.sql.toLowerCase()).toContain("limit");
    }
    // Small except sets are filtered by the database, large ones per page in memory.
    expect(smallQueries.every((q) => q.sql.includes("not in"))).toBe(true);
    expect(largeQueries.some((q) => q.sql.includes("not in"))).toBe(false);
    expect(largeQueries.every((q) => q.parameters.length <= 4)).toBe(true);
    // Keyset: every page after the first starts after the last session id seen.
    expect(smallQueries.slice(1).every((q) => q.sql.includes('"session_id" >'))).toBe(true);
    await logged.destroy();
  });
});
