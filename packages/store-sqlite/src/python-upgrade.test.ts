import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InvalidPythonRow } from "@swp/store-kysely";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteStore } from "./sqlite-store.ts";
import { PYTHON_SCHEMA, subscription } from "./test-support/fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "swp-python-upgrade-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a database the way the Python original does: its schema, JSON text rows. */
function pythonDatabase(
  name: string,
  rows: Array<[sessionId: string, subscription: string, groupId: number | string]>,
): string {
  const path = join(dir, name);
  const db = new Database(path);
  db.exec(PYTHON_SCHEMA);
  const insert = db.prepare("INSERT INTO subscriptors VALUES (?, ?, ?)");
  db.transaction(() => {
    for (const row of rows) insert.run(row);
  })();
  db.close();
  return path;
}

/** How a browser's `JSON.stringify(subscription)` looks (the original stored that). */
function browserJson(n: number | string): string {
  return JSON.stringify({ ...subscription(n), expirationTime: null });
}

describe("opening the Python original's subscriptors.db", () => {
  const valid = Array.from(
    { length: 2345 },
    (_, n) =>
      [`py-${String(n).padStart(5, "0")}`, browserJson(n), n % 4] as [string, string, number],
  );
  const invalid: Array<[string, string, number | string]> = [
    ["bad-json", "{not json", 0],
    [
      "bad-keys",
      JSON.stringify({
        endpoint: "https://push.example.net/x",
        keys: { p256dh: "AAAA", auth: "AAAA" },
      }),
      0,
    ],
    [
      "bad-scheme",
      JSON.stringify({ ...subscription("ftp"), endpoint: "ftp://push.example.net/x" }),
      0,
    ],
    ["bad-group", browserJson("group"), "admins"],
    ["s".repeat(300), browserJson("long-id"), 1],
    ["py-zz-duplicate", browserJson(7), 2], // same endpoint as py-00007, sorts after it
  ];

  it("imports every valid row, reports the others, keeps the old table as a backup", async () => {
    const path = pythonDatabase("upgrade.db", [...valid, ...invalid]);
    const reported: InvalidPythonRow[] = [];
    const store = await createSqliteStore({
      path,
      now: () => 1_700_000_000_000,
      onInvalidRow: (row) => reported.push(row),
    });

    expect(await store.count()).toBe(valid.length);
    for (const [sessionId, json, groupId] of [valid[0]!, valid[1234]!, valid[2344]!]) {
      const row = await store.get(sessionId);
      expect(row?.subscription).toEqual(JSON.parse(json));
      expect(row?.groupId).toBe(groupId);
      expect(row?.createdAt.getTime()).toBe(1_700_000_000_000);
    }
    expect(await store.count({ groupId: 3 })).toBe(valid.filter(([, , g]) => g === 3).length);
    expect(await store.findSessionId(subscription(7).endpoint)).toBe("py-00007");

    const report = store.migrationReport!;
    expect(report.imported).toBe(valid.length);
    expect(report.backupTable).toBe("subscriptors_python_backup");
    expect(report.invalid).toEqual(reported);
    expect(
      Object.fromEntries(report.invalid.map((r) => [r.sessionId.slice(0, 20), r.code])),
    ).toEqual({
      "bad-group": "ERR_STORE_GROUP_ID",
      "bad-scheme": "ERR_SUBSCRIPTION_INVALID_ENDPOINT",
      "bad-json": "ERR_SUBSCRIPTION_NOT_JSON",
      "bad-keys": "ERR_SUBSCRIPTION_INVALID_P256DH",
      "py-zz-duplicate": "ERR_STORE_DUPLICATE_ENDPOINT",
      ["s".repeat(20)]: "ERR_STORE_SESSION_ID",
    });
    // Reasons explain without echoing key material.
    for (const row of report.invalid) {
      expect(row.reason.length).toBeGreaterThan(10);
      expect(row.reason).not.toContain("BTBZMqHH6r4Tts7J_aSIgg");
    }
    await store.close();

    // Nothing is lost, and the original keeps its table: `subscriptors` is where it was,
    // every row as it wrote it, and a copy of all of them is in the backup table.
    const raw = new Database(path, { readonly: true });
    const tables = raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toContain("subscriptors_python_backup");
    expect(tables).toContain("subscriptors");
    for (const table of ["subscriptors", "subscriptors_python_backup"]) {
      expect(raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(
        valid.length + invalid.length,
      );
      expect(
        raw
          .prepare(`SELECT subscription FROM ${table} WHERE session_id = 'bad-json'`)
          .pluck()
          .get(),
      ).toBe("{not json");
      expect(
        raw
          .prepare(`SELECT subscription FROM ${table} WHERE session_id = 'py-01234'`)
          .pluck()
          .get(),
      ).toBe(valid[1234]![1]);
    }
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
  });

  it("imports once: reopening finds the data and runs no second import", async () => {
    const path = pythonDatabase("reopen.db", valid.slice(0, 10));
    const first = await createSqliteStore({ path });
    expect(first.migrationReport?.imported).toBe(10);
    await first.put("new-session", subscription("new"));
    await first.close();

    const second = await createSqliteStore({ path });
    expect(second.migrationReport).toBe(undefined);
    expect(await second.count()).toBe(11);
    await second.close();
  });

  it("upgrades an empty Python table", async () => {
    const path = pythonDatabase("empty.db", []);
    const store = await createSqliteStore({ path });
    expect(store.migrationReport).toEqual({
      imported: 0,
      invalid: [],
      backupTable: "subscriptors_python_backup",
    });
    expect(await store.count()).toBe(0);
    await store.close();
  });

  it("picks a free backup name if subscriptors_python_backup is taken", async () => {
    const path = pythonDatabase("taken.db", valid.slice(0, 3));
    const raw = new Database(path);
    raw.exec("CREATE TABLE subscriptors_python_backup(x)");
    raw.close();
    const store = await createSqliteStore({ path });
    expect(store.migrationReport?.backupTable).toBe("subscriptors_python_backup_2");
    expect(await store.count()).toBe(3);
    await store.close();
  });

  it("reports group ids that are not plain decimal integers, NULL and duplicated session ids, and opens", async () => {
    // A table made by hand or by another tool: no types (so SQLite keeps each value as
    // written), no NOT NULL, no primary key. The original's own INT column would already
    // have turned '7', ' 7', '1e3' and '1.0' into the integers 7, 7, 1000 and 1.
    const path = join(dir, "legacy.db");
    const raw = new Database(path);
    raw.exec("CREATE TABLE subscriptors(session_id, subscription, group_id)");
    const rows: Array<[string | null, string, unknown]> = [
      ["g-null", browserJson(1), null],
      ["g-empty", browserJson(2), ""],
      ["g-hex", browserJson(3), "0x10"],
      ["g-exponent", browserJson(4), "1e3"],
      ["g-space", browserJson(5), " 7"],
      ["g-fraction", browserJson(6), "1.0"],
      ["g-real", browserJson(7), 2.5],
      ["g-unsafe", browserJson(8), "9007199254740993"],
      ["g-text", browserJson(9), "12"],
      ["g-negative", browserJson(10), "-3"],
      ["g-integer", browserJson(11), 7],
      [null, browserJson(12), 0],
      ["dup", browserJson(13), 1],
      ["dup", browserJson(14), 2],
      ["dup", browserJson(15), 3],
    ];
    const insert = raw.prepare("INSERT INTO subscriptors VALUES (?, ?, ?)");
    for (const row of rows) insert.run(row);
    raw.close();

    const reported: InvalidPythonRow[] = [];
    const store = await createSqliteStore({ path, onInvalidRow: (row) => reported.push(row) });
    const report = store.migrationReport!;
    expect(report.invalid).toEqual(reported);
    const codes = report.invalid.map((r) => `${r.sessionId} ${r.code}`).sort();
    expect(codes).toEqual(
      [
        "NULL ERR_STORE_SESSION_ID",
        "dup ERR_STORE_DUPLICATE_SESSION_ID",
        "dup ERR_STORE_DUPLICATE_SESSION_ID",
        "g-empty ERR_STORE_GROUP_ID",
        "g-exponent ERR_STORE_GROUP_ID",
        "g-fraction ERR_STORE_GROUP_ID",
        "g-hex ERR_STORE_GROUP_ID",
        "g-null ERR_STORE_GROUP_ID",
        "g-real ERR_STORE_GROUP_ID",
        "g-space ERR_STORE_GROUP_ID",
        "g-unsafe ERR_STORE_GROUP_ID",
      ].sort(),
    );
    // The reason names the stored value, quoted, so that a human can find the row.
    const reasonOf = (id: string) => report.invalid.find((r) => r.sessionId === id)!.reason;
    expect(reasonOf("g-hex")).toContain('"0x10"');
    expect(reasonOf("g-space")).toContain('" 7"');
    expect(reasonOf("g-null")).toContain("NULL");
    expect(report.imported).toBe(4);
    expect(await store.count()).toBe(4);
    expect((await store.get("g-text"))?.groupId).toBe(12);
    expect((await store.get("g-negative"))?.groupId).toBe(-3);
    expect((await store.get("g-integer"))?.groupId).toBe(7);
    // Of a duplicated session id, the row the original itself read (its first) is kept.
    const dup = await store.get("dup");
    expect(dup).toMatchObject({
      groupId: 1,
      subscription: { endpoint: subscription(13).endpoint },
    });
    await store.close();
  });

  it("takes the integers SQLite itself stored in the original's INT column", async () => {
    const path = pythonDatabase("affinity.db", [
      ["spaced", browserJson(1), " 7"],
      ["exponent", browserJson(2), "1e3"],
      ["decimal", browserJson(3), "42"],
    ]);
    const store = await createSqliteStore({ path });
    expect(store.migrationReport).toMatchObject({ imported: 3, invalid: [] });
    expect((await store.get("spaced"))?.groupId).toBe(7);
    expect((await store.get("exponent"))?.groupId).toBe(1000);
    expect((await store.get("decimal"))?.groupId).toBe(42);
    await store.close();
  });

  it("imports http: endpoints too (whether one may be used is the sender's call)", async () => {
    const http = JSON.stringify({ ...subscription("h"), endpoint: "http://127.0.0.1:8080/push/1" });
    const path = pythonDatabase("http.db", [["local", http, 0]]);
    const store = await createSqliteStore({ path });
    expect(store.migrationReport).toMatchObject({ imported: 1, invalid: [] });
    await store.close();
  });
});
