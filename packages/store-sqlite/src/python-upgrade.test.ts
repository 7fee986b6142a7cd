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
      "bad-http",
      JSON.stringify({ ...subscription("http"), endpoint: "http://push.example.net/x" }),
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
      "bad-http": "ERR_SUBSCRIPTION_INVALID_ENDPOINT",
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

    // Nothing is lost: every original row, valid or not, is in the backup table.
    const raw = new Database(path, { readonly: true });
    const tables = raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toContain("subscriptors_python_backup");
    expect(tables).not.toContain("subscriptors");
    expect(raw.prepare("SELECT count(*) FROM subscriptors_python_backup").pluck().get()).toBe(
      valid.length + invalid.length,
    );
    expect(
      raw
        .prepare(
          "SELECT subscription FROM subscriptors_python_backup WHERE session_id = 'bad-json'",
        )
        .pluck()
        .get(),
    ).toBe("{not json");
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

  it("imports http: endpoints when allowHttp is set", async () => {
    const http = JSON.stringify({ ...subscription("h"), endpoint: "http://127.0.0.1:8080/push/1" });
    const path = pythonDatabase("http.db", [["local", http, 0]]);
    const store = await createSqliteStore({ path, allowHttp: true });
    expect(store.migrationReport).toMatchObject({ imported: 1, invalid: [] });
    await store.close();
  });
});
