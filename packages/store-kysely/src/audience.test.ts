// The audience API on SQLite (the same statements run on PostgreSQL in @swp/broadcast's
// suite): cuts, reads a range as it is now, and prunes in the caller's transaction.
import Database from "better-sqlite3";
import { CamelCasePlugin, Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cutAudience, readAudienceRange, removeEndpoints } from "./audience.ts";
import type { SqlSubscriptionStore } from "./kysely-store.ts";
import { createKyselyStore } from "./kysely-store.ts";
import { subscription } from "./test-support/fixtures.ts";

/** A caller's own database: the store's table plus a table of its own. */
type CallerDatabase = { batches: { id: number; state: string } };

let db: Kysely<CallerDatabase>;
let store: SqlSubscriptionStore;

/** `s00` … `s22`: 20 in group 0, 3 in group 1. */
const ids = Array.from({ length: 23 }, (_, n) => `s${String(n).padStart(2, "0")}`);

beforeEach(async () => {
  db = new Kysely<CallerDatabase>({
    dialect: new SqliteDialect({ database: new Database(":memory:") }),
  });
  store = await createKyselyStore(db);
  for (const [n, id] of ids.entries()) await store.put(id, subscription(n), n < 20 ? 0 : 1);
  await db.schema
    .createTable("batches")
    .addColumn("id", "integer")
    .addColumn("state", "text")
    .execute();
});

afterEach(async () => {
  await store.close();
  await db.destroy();
});

async function sessionIds(rows: AsyncIterable<{ sessionId: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const row of rows) out.push(row.sessionId);
  return out;
}

describe("cutAudience", () => {
  it("cuts key ranges of batchSize, per group, the last one open-ended", async () => {
    expect(await cutAudience(db, { batchSize: 10 })).toEqual([
      { afterKey: null, lastKey: ids[9], expected: 10 },
      { afterKey: ids[9], lastKey: ids[19], expected: 10 },
      { afterKey: ids[19], lastKey: null, expected: 3 },
    ]);
    // Exactly full: the last range still opens at the end, with no empty range after it.
    expect(await cutAudience(db, { groupId: 0, batchSize: 10 })).toEqual([
      { afterKey: null, lastKey: ids[9], expected: 10 },
      { afterKey: ids[9], lastKey: null, expected: 10 },
    ]);
    expect(await cutAudience(db, { groupId: 1, batchSize: 2 })).toEqual([
      { afterKey: null, lastKey: ids[21], expected: 2 },
      { afterKey: ids[21], lastKey: null, expected: 1 },
    ]);
    // An empty audience is one open range, so that subscriptions arriving now are reached.
    expect(await cutAudience(db, { groupId: 7, batchSize: 10 })).toEqual([
      { afterKey: null, lastKey: null, expected: 0 },
    ]);
  });

  it("refuses a batch size or group id that is not an integer", async () => {
    await expect(cutAudience(db, { batchSize: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(cutAudience(db, { batchSize: 1.5 })).rejects.toBeInstanceOf(RangeError);
    await expect(cutAudience(db, { groupId: 0.5, batchSize: 10 })).rejects.toBeInstanceOf(
      TypeError,
    );
  });
});

describe("readAudienceRange", () => {
  it("reads the ranges of a cut: every subscription once, in pages, with its canonical fields", async () => {
    // A caller's plugin must not rename the store's columns in what the API reads.
    const camel = db.withPlugin(new CamelCasePlugin());
    const ranges = await cutAudience(camel, { batchSize: 7 });
    const seen: string[] = [];
    for (const range of ranges) {
      for await (const row of readAudienceRange(camel, range, { pageSize: 3 })) {
        const n = ids.indexOf(row.sessionId);
        expect(row.subscription).toEqual({ ...subscription(n), expirationTime: null });
        expect(row.groupId).toBe(n < 20 ? 0 : 1);
        seen.push(row.sessionId);
      }
    }
    expect(seen).toEqual(ids);
  });

  it("honours the bounds, the group and except (small and large sets)", async () => {
    const range = { afterKey: ids[3]!, lastKey: ids[21]! };
    expect(await sessionIds(readAudienceRange(db, range, { groupId: 1 }))).toEqual([
      ids[20],
      ids[21],
    ]);
    const small = [ids[5]!, ids[6]!];
    const large = [...small, ...Array.from({ length: 150 }, (_, n) => `absent-${n}`)];
    const expected = ids.slice(4, 22).filter((id) => !small.includes(id));
    expect(await sessionIds(readAudienceRange(db, range, { except: small, pageSize: 4 }))).toEqual(
      expected,
    );
    expect(await sessionIds(readAudienceRange(db, range, { except: large, pageSize: 4 }))).toEqual(
      expected,
    );
  });

  it("reads the range as it is now: rows added inside it are read, removed ones are not", async () => {
    const [first] = await cutAudience(db, { batchSize: 5 });
    await store.remove(ids[1]!);
    await store.put("s01a", subscription("late"));
    expect(await sessionIds(readAudienceRange(db, first!))).toEqual([
      ids[0],
      "s01a",
      ids[2],
      ids[3],
      ids[4],
    ]);
  });

  it("refuses bad options at the call, as list() does", () => {
    expect(() => readAudienceRange(db, { afterKey: null, lastKey: null }, { pageSize: 0 })).toThrow(
      RangeError,
    );
    expect(() =>
      readAudienceRange(db, { afterKey: 5 as unknown as string, lastKey: null }),
    ).toThrow(TypeError);
  });
});

describe("removeEndpoints", () => {
  it("removes the subscriptions with these endpoints and counts them", async () => {
    const gone = [subscription(1).endpoint, subscription(2).endpoint, "https://push.example.net/x"];
    expect(await removeEndpoints(db, gone)).toBe(2);
    expect(await store.count()).toBe(21);
    expect(await store.get(ids[1]!)).toBe(undefined);
    expect(await removeEndpoints(db, [])).toBe(0);
  });

  it("removes more endpoints than one statement takes, all or nothing", async () => {
    const many = [
      ...Array.from({ length: 2500 }, (_, n) => `https://push.example.net/absent/${n}`),
      subscription(0).endpoint,
      subscription(22).endpoint,
    ];
    expect(await removeEndpoints(db, many)).toBe(2);
    expect(await store.count()).toBe(21);
  });

  it("runs in the caller's transaction: rolled back with the caller's own writes", async () => {
    const failure = new Error("the caller's transaction fails after pruning");
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("batches").values({ id: 1, state: "done" }).execute();
        expect(await removeEndpoints(trx, [subscription(3).endpoint])).toBe(1);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await store.count()).toBe(23);
    expect(
      (await sql<{ n: number }>`select count(*) as n from batches`.execute(db)).rows[0]?.n,
    ).toBe(0);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("batches").values({ id: 1, state: "done" }).execute();
      await removeEndpoints(trx, [subscription(3).endpoint]);
    });
    expect(await store.count()).toBe(22);
  });

  it("turns a driver error into a StoreError", async () => {
    await sql`drop table subscriptions`.execute(db);
    await expect(removeEndpoints(db, [subscription(1).endpoint])).rejects.toMatchObject({
      name: "StoreError",
      code: "ERR_STORE_QUERY",
    });
    await expect(cutAudience(db, { batchSize: 1 })).rejects.toMatchObject({
      code: "ERR_STORE_QUERY",
    });
  });
});
