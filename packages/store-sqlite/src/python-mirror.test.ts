// The rules of the two-way sync between the original's `subscriptors` and our
// `subscriptions` (src/lib/python-mirror.ts), one at a time, in one process. The same
// file used by two real processes is python-coexistence.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteStore } from "./sqlite-store.ts";
import { PYTHON_SCHEMA, subscription } from "./test-support/fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "swp-python-mirror-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A database the original made, with `rows` in it. */
function pythonDatabase(rows: Array<[string, string, unknown]> = []): string {
  const path = join(dir, `mirror-${files++}.db`);
  const db = new Database(path);
  db.exec(PYTHON_SCHEMA);
  for (const row of rows) db.prepare("INSERT INTO subscriptors VALUES (?, ?, ?)").run(row);
  db.close();
  return path;
}
const browserJson = (n: number | string) =>
  JSON.stringify({
    endpoint: subscription(n).endpoint,
    expirationTime: null,
    keys: subscription(n).keys,
  });

/** Runs `work` on a raw connection, as the original (or any other SQLite client) would. */
function raw<T>(path: string, work: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return work(db);
  } finally {
    db.close();
  }
}
const pythonRow = (path: string, sessionId: string) =>
  raw(path, (db) =>
    db
      .prepare("SELECT subscription, group_id FROM subscriptors WHERE session_id = ?")
      .get(sessionId),
  ) as { subscription: string; group_id: unknown } | undefined;
const mirrorTriggers = (path: string) =>
  raw(path, (db) =>
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'swp_mirror_%' ORDER BY name",
      )
      .pluck()
      .all(),
  );

describe("keeping the original's table in step", () => {
  it("takes keys in the standard alphabet with padding, and never rewrites the original's text", async () => {
    const path = pythonDatabase();
    const store = await createSqliteStore({ path });
    const { endpoint, keys } = subscription(1);
    const standard = (key: string) => Buffer.from(key, "base64url").toString("base64"); // '+', '/', '='
    const text = ` { "keys": {"auth": "${standard(keys.auth)}", "p256dh": "${standard(keys.p256dh)}"}, "endpoint": "${endpoint}" } `;
    expect(standard(keys.auth)).toMatch(/=$/);
    raw(path, (db) =>
      db
        .prepare("INSERT INTO subscriptors (session_id, subscription, group_id) VALUES (?,?,?)")
        .run("py", text, 3),
    );
    expect(await store.get("py")).toMatchObject({ subscription: { endpoint, keys }, groupId: 3 });
    // Our put of the same subscription changes nothing the original wrote.
    await store.put("py", subscription(1), 3);
    expect(pythonRow(path, "py")).toEqual({ subscription: text, group_id: 3 });
    await store.close();
  });

  it("stops after one hop even with recursive_triggers on", async () => {
    const path = pythonDatabase([["py", browserJson(1), 0]]);
    const store = await createSqliteStore({ path });
    raw(path, (db) => {
      db.pragma("recursive_triggers = ON");
      db.prepare(
        "INSERT INTO subscriptors (session_id, subscription, group_id) VALUES (?,?,?)",
      ).run("py-2", browserJson(2), 1);
      db.prepare("UPDATE subscriptors SET subscription=?, group_id=? WHERE session_id=?").run(
        browserJson(3),
        2,
        "py",
      );
      db.prepare("UPDATE subscriptions SET group_id = 9 WHERE session_id = 'py-2'").run();
      db.prepare("DELETE FROM subscriptions WHERE session_id = 'py'").run();
    });
    expect(pythonRow(path, "py")).toBe(undefined);
    expect(pythonRow(path, "py-2")).toEqual({ subscription: browserJson(2), group_id: 9 });
    expect(await store.count()).toBe(1);
    expect(await store.get("py-2")).toMatchObject({ groupId: 9 });
    await store.close();
  });

  it("an UPDATE by the original to a value ours cannot use retires our copy and keeps its row", async () => {
    const path = pythonDatabase([["py", browserJson(1), 0]]);
    const store = await createSqliteStore({ path });
    raw(path, (db) =>
      db
        .prepare("UPDATE subscriptors SET subscription=?, group_id=? WHERE session_id=?")
        .run(browserJson(1), "admins", "py"),
    );
    expect(await store.get("py")).toBe(undefined);
    expect(pythonRow(path, "py")).toEqual({ subscription: browserJson(1), group_id: "admins" });
    // …and its INSERT of JSON that is no subscription is its own business too.
    raw(path, (db) =>
      db
        .prepare("INSERT INTO subscriptors (session_id, subscription, group_id) VALUES (?,?,?)")
        .run("junk", '{"endpoint": 5}', 0),
    );
    expect(await store.get("junk")).toBe(undefined);
    expect(pythonRow(path, "junk")?.subscription).toBe('{"endpoint": 5}');
    await store.close();
  });

  it("our http: endpoints and expiration times reach the original as the browser's JSON", async () => {
    const path = pythonDatabase();
    const store = await createSqliteStore({ path });
    const local = {
      ...subscription(2),
      endpoint: "http://127.0.0.1:8080/push/2",
      expirationTime: 1_900_000_000_000,
    };
    await store.put("local", local, 4);
    expect(JSON.parse(pythonRow(path, "local")!.subscription)).toEqual(local);
    expect(await store.get("local")).toMatchObject({ subscription: local, groupId: 4 });
    await store.close();
  });

  it("only a database with the original's table gets the triggers", async () => {
    const plain = join(dir, "plain.db");
    await (await createSqliteStore({ path: plain })).close();
    expect(mirrorTriggers(plain)).toEqual([]);
    const path = pythonDatabase();
    await (await createSqliteStore({ path })).close();
    expect(mirrorTriggers(path)).toHaveLength(6);
    // Opening again finds them current and changes nothing in the schema.
    const schemaVersion = () => raw(path, (db) => db.pragma("schema_version", { simple: true }));
    const before = schemaVersion();
    await (await createSqliteStore({ path })).close();
    expect(schemaVersion()).toBe(before);
  });

  it("syncPythonTable: false removes the triggers and leaves both tables as they are", async () => {
    const path = pythonDatabase([["py", browserJson(1), 0]]);
    await (await createSqliteStore({ path })).close();
    const store = await createSqliteStore({ path, syncPythonTable: false });
    expect(mirrorTriggers(path)).toEqual([]);
    await store.put("ts", subscription(2));
    expect(pythonRow(path, "ts")).toBe(undefined);
    expect(pythonRow(path, "py")?.subscription).toBe(browserJson(1));
    await store.close();
  });

  it("after DROP TABLE subscriptors, the next opening removes the triggers that wrote into it", async () => {
    const path = pythonDatabase([["py", browserJson(1), 0]]);
    await (await createSqliteStore({ path })).close();
    raw(path, (db) => db.exec("DROP TABLE subscriptors"));
    const store = await createSqliteStore({ path });
    await store.put("ts", subscription(2));
    expect(await store.count()).toBe(2);
    expect(mirrorTriggers(path)).toEqual([]);
    await store.close();
  });

  it("a file upgraded before the original's table was kept: both sides are merged when it reappears", async () => {
    // What an earlier version left: the table moved to the backup, the triggers absent.
    const path = pythonDatabase([["py-old", browserJson(1), 0]]);
    await (await createSqliteStore({ path })).close();
    raw(path, (db) => db.exec("DROP TABLE subscriptors"));
    const store = await createSqliteStore({ path });
    await store.put("ts", subscription(2), 7);
    await store.close();
    // The original, run again, made a new empty table and subscribed someone there.
    raw(path, (db) => {
      db.exec(PYTHON_SCHEMA);
      db.prepare(
        "INSERT INTO subscriptors (session_id, subscription, group_id) VALUES (?,?,?)",
      ).run("py-new", browserJson(3), 5);
    });
    const merged = await createSqliteStore({ path });
    expect(await merged.get("py-new")).toMatchObject({ groupId: 5 });
    expect(JSON.parse(pythonRow(path, "ts")!.subscription)).toEqual({
      ...subscription(2),
      expirationTime: null,
    });
    expect(pythonRow(path, "py-old")).toMatchObject({ group_id: 0 });
    expect(await merged.count()).toBe(3);
    expect(mirrorTriggers(path)).toHaveLength(6);
    await merged.close();
  });
});
