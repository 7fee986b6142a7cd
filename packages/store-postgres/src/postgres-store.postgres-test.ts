// The PostgreSQL store against a real PostgreSQL (SWP_TEST_POSTGRES_URL): the contract
// suite, the migrations from an empty schema and from the previous schema version, and the
// failures a user meets first. Each test works in a schema of its own.
import { describeSubscriptionStore } from "@swp/store/conformance";
import {
  cutAudience,
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  type PythonImportReport,
  readAudienceRange,
  removeEndpoints,
  subscriptionStoreMigrations,
} from "@swp/store-kysely";
import { Kysely, Migrator, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openPostgresDatabase } from "./postgres-database.ts";
import { createPostgresStore } from "./postgres-store.ts";
import { PYTHON_SCHEMA, subscription } from "./test-support/fixtures.ts";
import { dropSchemas, freshSchemaName, query, testDatabaseUrl } from "./test-support/postgres.ts";

const url = testDatabaseUrl();
const created = new Set<string>();
afterAll(() => dropSchemas(created));

function schema(): string {
  const name = freshSchemaName("swp_store");
  created.add(name);
  return name;
}

describeSubscriptionStore(
  "PostgreSQL",
  ({ now }) => createPostgresStore({ connectionString: url, schema: schema(), now, max: 2 }),
  { describe, it, expect },
  { clock: true },
);

async function tablesOf(name: string): Promise<string[]> {
  const rows = await query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = $1 order by table_name",
    [name],
  );
  return rows.map((r) => r.table_name);
}

describe("migrations", () => {
  it("from an empty schema: the table, its portable types, a unique endpoint and the group index", async () => {
    const name = schema();
    const store = await createPostgresStore({ connectionString: url, schema: name });
    await store.close();
    expect(await tablesOf(name)).toEqual(
      ["subscriptions", MIGRATION_TABLE, MIGRATION_LOCK_TABLE].sort(),
    );
    const columns = await query<{ column_name: string; data_type: string; is_nullable: string }>(
      `select column_name, data_type, is_nullable from information_schema.columns
       where table_schema = $1 and table_name = 'subscriptions' order by ordinal_position`,
      [name],
    );
    expect(columns.map((c) => `${c.column_name} ${c.data_type} ${c.is_nullable}`)).toEqual([
      "session_id character varying NO",
      "endpoint text NO",
      "p256dh text NO",
      "auth text NO",
      "expiration_time bigint YES",
      "group_id bigint NO",
      "created_at bigint NO",
      "updated_at bigint NO",
    ]);
    const indexes = await query<{ indexdef: string }>(
      "select indexdef from pg_indexes where schemaname = $1 and tablename = 'subscriptions' order by indexname",
      [name],
    );
    const definitions = indexes.map((i) => i.indexdef.replace(` ${name}.`, " "));
    expect(definitions).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^CREATE UNIQUE INDEX \S+ ON subscriptions USING btree \(endpoint\)$/,
        ),
        expect.stringMatching(
          /^CREATE UNIQUE INDEX \S+ ON subscriptions USING btree \(session_id\)$/,
        ),
        "CREATE INDEX subscriptions_group_id_session_id ON subscriptions USING btree (group_id, session_id)",
      ]),
    );
    expect(definitions.length).toBe(3);
    const done = await query<{ name: string }>(
      `select name from "${name}".${MIGRATION_TABLE} order by name`,
    );
    expect(done.map((r) => r.name)).toEqual([
      "0001_create_subscriptions",
      "0002_import_python_subscriptors",
    ]);
  });

  it("from the previous schema version (0001 only): rows kept, the Python table imported", async () => {
    const name = schema();
    // The database as the first schema version left it: migrated up to 0001 only.
    await query(`create schema "${name}"`);
    const db = new Kysely<unknown>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${name}` }),
      }),
    });
    const migrator = new Migrator({
      db,
      provider: subscriptionStoreMigrations({
        now: Date.now,
        allowHttp: false,
        onInvalidRow: undefined,
        report: () => {},
      }),
      migrationTableName: MIGRATION_TABLE,
      migrationLockTableName: MIGRATION_LOCK_TABLE,
      migrationTableSchema: name,
    });
    const first = await migrator.migrateTo("0001_create_subscriptions");
    expect(first.error).toBe(undefined);
    await db.destroy();
    const kept = subscription("kept");
    await query(
      `insert into "${name}".subscriptions values ($1, $2, $3, $4, null, 7, 1000, 2000)`,
      ["old-session", kept.endpoint, kept.keys.p256dh, kept.keys.auth],
    );
    // …and a Python original's table, moved over to PostgreSQL with the app.
    await query(`set search_path to "${name}"; ${PYTHON_SCHEMA}`);
    await query(`insert into "${name}".subscriptors values ($1, $2, 3), ($3, $4, 0)`, [
      "from-python",
      JSON.stringify(subscription("python")),
      "broken",
      "{not json",
    ]);

    const invalid: string[] = [];
    const store = await createPostgresStore({
      connectionString: url,
      schema: name,
      onInvalidRow: (row) => invalid.push(`${row.sessionId} ${row.code}`),
    });
    expect(store.migrationReport).toEqual({
      imported: 1,
      invalid: [
        expect.objectContaining({ sessionId: "broken", code: "ERR_SUBSCRIPTION_NOT_JSON" }),
      ],
      backupTable: "subscriptors_python_backup",
    } satisfies PythonImportReport);
    expect(invalid).toEqual(["broken ERR_SUBSCRIPTION_NOT_JSON"]);
    expect(await store.get("old-session")).toEqual({
      sessionId: "old-session",
      subscription: { ...kept, expirationTime: null },
      groupId: 7,
      createdAt: new Date(1000),
      updatedAt: new Date(2000),
    });
    expect((await store.get("from-python"))?.groupId).toBe(3);
    expect(await store.count()).toBe(2);
    await store.close();
    expect(await tablesOf(name)).toContain("subscriptors_python_backup");

    // Opening again runs nothing: the import happened once.
    const again = await createPostgresStore({ connectionString: url, schema: name });
    expect(again.migrationReport).toBe(undefined);
    expect(await again.count()).toBe(2);
    await again.close();
  });

  it("several servers opening a new schema at once migrate it once, under the lock", async () => {
    const name = schema();
    const stores = await Promise.all(
      Array.from({ length: 4 }, () =>
        createPostgresStore({ connectionString: url, schema: name, max: 1 }),
      ),
    );
    await Promise.all(stores.map((store, n) => store.put(`s${n}`, subscription(n))));
    expect(await stores[0]!.count()).toBe(4);
    await Promise.all(stores.map((store) => store.close()));
    const done = await query(`select name from "${name}".${MIGRATION_TABLE}`);
    expect(done.length).toBe(2);
  });

  it("a failed migration is rolled back whole: ERR_STORE_MIGRATION and the schema as before", async () => {
    const name = schema();
    await query(
      `create schema "${name}"; create table "${name}".subscriptions(id int primary key, note text)`,
    );
    const error = await createPostgresStore({ connectionString: url, schema: name }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "StoreError", code: "ERR_STORE_MIGRATION" });
    // PostgreSQL runs DDL in the migration's transaction: no half-created schema is left.
    expect(await tablesOf(name)).toEqual(
      [MIGRATION_TABLE, MIGRATION_LOCK_TABLE, "subscriptions"].sort(),
    );
    expect(await query(`select * from "${name}".${MIGRATION_TABLE}`)).toEqual([]);
  });
});

describe("PostgreSQL types", () => {
  it("bigint columns come back as numbers and Dates, up to the largest safe integer", async () => {
    const store = await createPostgresStore({
      connectionString: url,
      schema: schema(),
      now: () => Date.UTC(2100, 0, 1),
    });
    const sub = { ...subscription(1), expirationTime: Date.UTC(2099, 11, 31) };
    await store.put("big", sub, Number.MAX_SAFE_INTEGER);
    await store.put("small", subscription(2), -Number.MAX_SAFE_INTEGER);
    expect(await store.get("big")).toEqual({
      sessionId: "big",
      subscription: sub,
      groupId: Number.MAX_SAFE_INTEGER,
      createdAt: new Date(Date.UTC(2100, 0, 1)),
      updatedAt: new Date(Date.UTC(2100, 0, 1)),
    });
    expect(await store.count({ groupId: -Number.MAX_SAFE_INTEGER })).toBe(1);
    const listed = [];
    for await (const row of store.list({ groupId: Number.MAX_SAFE_INTEGER })) listed.push(row);
    expect(listed.map((r) => [r.sessionId, typeof r.groupId])).toEqual([["big", "number"]]);
    await store.close();
  });
});

describe("opening and closing", () => {
  it("a wrong password is ERR_STORE_OPEN naming user, host and database, never the password", async () => {
    const wrong = new URL(url);
    wrong.password = "not-the-password-5f3a";
    const error = await createPostgresStore({ connectionString: wrong.href }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "StoreError", code: "ERR_STORE_OPEN" });
    const message = (error as Error).message;
    expect(message).toContain(`${wrong.username}@${wrong.hostname}:${wrong.port}${wrong.pathname}`);
    expect(message).not.toContain("not-the-password-5f3a");
    expect((error as { path?: string }).path).not.toContain("not-the-password-5f3a");
  });

  it("a database that does not exist, or a server that is not there, is ERR_STORE_OPEN", async () => {
    const missing = new URL(url);
    missing.pathname = "/swp_no_such_database";
    await expect(createPostgresStore({ connectionString: missing.href })).rejects.toMatchObject({
      code: "ERR_STORE_OPEN",
      message: expect.stringContaining("does not exist"),
    });
    const closedPort = new URL(url);
    closedPort.port = "1"; // nothing listens on port 1 of 127.0.0.1
    await expect(createPostgresStore({ connectionString: closedPort.href })).rejects.toMatchObject({
      code: "ERR_STORE_OPEN",
    });
  });

  it("a pool of yours is used and left open; the store's own pool is ended on close", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const store = await createPostgresStore({ pool, schema: schema() });
    await store.put("a", subscription(1));
    await store.close();
    expect((await pool.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
    await pool.end();
    await expect(store.count()).rejects.toMatchObject({ code: "ERR_STORE_CLOSED" });
  });

  it("refuses bad options at the call", async () => {
    await expect(createPostgresStore({})).rejects.toBeInstanceOf(TypeError);
    await expect(
      createPostgresStore({ connectionString: url, pool: new pg.Pool() }),
    ).rejects.toBeInstanceOf(TypeError);
    await expect(
      createPostgresStore({ connectionString: url, schema: 'x"; drop table y; --' }),
    ).rejects.toBeInstanceOf(TypeError);
    await expect(createPostgresStore({ connectionString: url, max: 0 })).rejects.toBeInstanceOf(
      RangeError,
    );
  });
});

describe("the audience API of @swp/store-kysely on PostgreSQL", () => {
  it("cuts with counts as numbers, reads every range once, prunes in the caller's transaction", async () => {
    const name = schema();
    const store = await createPostgresStore({ connectionString: url, schema: name, max: 2 });
    const ids = Array.from({ length: 12 }, (_, n) => `a${String(n).padStart(2, "0")}`);
    for (const [n, id] of ids.entries()) await store.put(id, subscription(n), n < 9 ? 0 : 1);
    const { db, close } = await openPostgresDatabase({ connectionString: url, schema: name });
    try {
      // pg returns count(*) as a string: the ranges carry numbers all the same.
      const ranges = await cutAudience(db, { groupId: 0, batchSize: 4 });
      expect(ranges).toEqual([
        { afterKey: null, lastKey: ids[3], expected: 4 },
        { afterKey: ids[3], lastKey: ids[7], expected: 4 },
        { afterKey: ids[7], lastKey: null, expected: 1 },
      ]);
      const read: string[] = [];
      for (const range of ranges) {
        for await (const row of readAudienceRange(db, range, { groupId: 0, except: [ids[5]!] })) {
          expect(typeof row.groupId).toBe("number");
          read.push(row.sessionId);
        }
      }
      expect(read).toEqual(ids.slice(0, 9).filter((id) => id !== ids[5]));

      const gone = [subscription(1).endpoint, subscription(10).endpoint];
      await expect(
        db.transaction().execute(async (trx) => {
          expect(await removeEndpoints(trx, gone)).toBe(2);
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      expect(await store.count()).toBe(12);
      expect(await removeEndpoints(db, gone)).toBe(2);
      expect(await store.count()).toBe(10);
      expect(await store.findSessionId(subscription(10).endpoint)).toBe(undefined);
    } finally {
      await close();
      await store.close();
    }
  });
});
