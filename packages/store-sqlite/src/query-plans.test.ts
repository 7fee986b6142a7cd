// The queries the store really sends, planned by SQLite: each must go through an index,
// never a plain table scan nor a sort (the README's performance claims rest on this).

import { createKyselyStore } from "@swp/store-kysely";
import Database from "better-sqlite3";
import { type CompiledQuery, Kysely, SqliteDialect } from "kysely";
import { describe, expect, it } from "vitest";
import { subscription } from "./test-support/fixtures.ts";

describe("query plans", () => {
  it("list pages, counts, lookups and put use indexes, with no scan and no sort", async () => {
    const sqlite = new Database(":memory:");
    const sent: CompiledQuery[] = [];
    const db = new Kysely<Record<string, Record<string, unknown>>>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => {
        sent.push(event.query);
      },
    });
    const store = await createKyselyStore(db);
    for (let n = 0; n < 6; n++) await store.put(`s${n}`, subscription(n), n % 2);
    sent.length = 0;
    for await (const _ of store.list({ groupId: 1, pageSize: 2 }));
    for await (const _ of store.list({ pageSize: 2, except: ["s1"] }));
    await store.count({ groupId: 1 });
    await store.findSessionId(subscription(1).endpoint);
    await store.removeByEndpoint(subscription(1).endpoint);
    await store.get("s2");
    await store.put("s9", subscription(9));

    const statements = sent.filter((q) => !/^(begin|commit)/i.test(q.sql));
    // 2 + 3 list pages, count, find, removeByEndpoint, get, and put's DELETE + upsert.
    expect(statements.length).toBe(11);
    // An INSERT (the upsert) is a keyed write with no plan to look at.
    for (const query of statements.filter((q) => !q.sql.startsWith("insert"))) {
      const plan = sqlite
        .prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
        .all(...(query.parameters as unknown[]))
        .map((row) => (row as { detail: string }).detail)
        .join(" | ");
      // SEARCH … INDEX, or (first page of an unfiltered list) SCAN … USING INDEX: a walk
      // in index order that LIMIT stops. Never a bare table scan, never a sort.
      expect({ sql: query.sql, plan }).toEqual({
        sql: query.sql,
        plan: expect.stringMatching(/^(SEARCH|SCAN) subscriptions USING (COVERING )?INDEX [^|]*$/),
      });
    }
    await db.destroy();
  });
});
