import Database from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { PYTHON_SCHEMA, subscription } from "../test-support/fixtures.ts";
import { pythonGroupId } from "./0002-import-python-subscriptors.ts";
import { migrateSubscriptionStore } from "./index.ts";

describe("pythonGroupId", () => {
  it.each([
    [0, 0],
    [13, 13],
    [-3, -3],
    ["12", 12],
    ["-7", -7],
    ["-0", 0],
    ["007", 7],
    [12n, 12],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ])("accepts %s as %s", (value, groupId) => {
    expect(pythonGroupId(value)).toEqual({ groupId });
  });

  it.each([
    [null],
    [undefined],
    [""],
    ["0x10"],
    ["1e3"],
    [" 7"],
    ["7 "],
    ["1.0"],
    ["+7"],
    ["٣"], // an Arabic-Indic digit: a digit to Unicode, not to the original's WHERE group_id=
    [2.5],
    [Number.NaN],
    [Number.MAX_SAFE_INTEGER + 1],
    ["9007199254740993"],
    [2n ** 60n],
    [{}],
  ])("refuses %s with a reason naming it", (value) => {
    const result = pythonGroupId(value);
    expect(result).toHaveProperty("reason");
    expect((result as { reason: string }).reason).toMatch(
      /^group_id .+ is not a plain decimal integer/,
    );
  });
});

describe("migration 0002_import_python_subscriptors", () => {
  it("imports, copies the table to a backup, and leaves the original's table where it was", async () => {
    const sqlite = new Database(":memory:");
    sqlite.exec(PYTHON_SCHEMA);
    const insert = sqlite.prepare("INSERT INTO subscriptors VALUES (?, ?, ?)");
    insert.run("a", JSON.stringify(subscription(1)), 0);
    insert.run("b", "{not json", 0);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    const report = await migrateSubscriptionStore(db);
    expect(report).toMatchObject({ imported: 1, backupTable: "subscriptors_python_backup" });
    expect(report?.invalid.map((row) => row.code)).toEqual(["ERR_SUBSCRIPTION_NOT_JSON"]);
    for (const table of ["subscriptors", "subscriptors_python_backup"]) {
      const rows = await sql<{
        session_id: string;
        subscription: string;
      }>`select session_id, subscription from ${sql.table(table)} order by session_id`.execute(db);
      expect(rows.rows).toEqual([
        { session_id: "a", subscription: JSON.stringify(subscription(1)) },
        { session_id: "b", subscription: "{not json" },
      ]);
    }
    // The original's table keeps its exact schema (its primary key included).
    expect(
      sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'subscriptors'").pluck().get(),
    ).toBe(PYTHON_SCHEMA);
    await db.destroy();
  });
});
