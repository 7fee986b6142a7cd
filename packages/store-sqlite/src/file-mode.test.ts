// subscriptors.db holds every subscriber's auth secret (RFC 8291 section 3.2): a file the
// store creates is for its owner only, and so are the -wal and -shm files beside it.
import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteStore } from "./sqlite-store.ts";
import { subscription } from "./test-support/fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "swp-store-modes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Opens, writes (so that the -wal and -shm exist), and reports the three modes while open. */
async function modesAfterWrite(path: string): Promise<Record<string, number>> {
  const store = await createSqliteStore({ path });
  try {
    await store.put("mode-check", subscription(1));
    return {
      db: modeOf(path),
      wal: modeOf(`${path}-wal`),
      shm: modeOf(`${path}-shm`),
    };
  } finally {
    await store.close();
  }
}

describe("the database file's mode", () => {
  it("a new database and its -wal and -shm are created 0600", async () => {
    expect(await modesAfterWrite(join(dir, "new.db"))).toEqual({
      db: 0o600,
      wal: 0o600,
      shm: 0o600,
    });
  });

  it("is 0600 whatever the umask, even one that lets everyone write", async () => {
    const previous = process.umask(0);
    try {
      expect(await modesAfterWrite(join(dir, "open-umask.db"))).toEqual({
        db: 0o600,
        wal: 0o600,
        shm: 0o600,
      });
    } finally {
      process.umask(previous);
    }
  });

  it("an existing database keeps its mode, and SQLite gives its -wal and -shm the same", async () => {
    const path = join(dir, "shared-with-group.db");
    new Database(path).close();
    chmodSync(path, 0o640);
    expect(await modesAfterWrite(path)).toEqual({ db: 0o640, wal: 0o640, shm: 0o640 });
  });

  it("an upgraded Python database keeps its mode too", async () => {
    const path = join(dir, "python.db");
    const raw = new Database(path);
    raw.exec(
      "CREATE TABLE subscriptors(session_id VARCHAR(256) NOT NULL PRIMARY KEY, subscription VARCHAR(512) NOT NULL, group_id INT NOT NULL)",
    );
    raw.close();
    chmodSync(path, 0o644);
    expect((await modesAfterWrite(path)).db).toBe(0o644);
  });
});
