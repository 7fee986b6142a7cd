// Section 3's store: a SQLite database of `rows` subscriptions, built once in bench/.cache/
// and reused by later runs. The schema comes from the store itself (createSqliteStore runs
// its migrations); the rows go in with one prepared INSERT in one transaction, which takes
// seconds where a million store.put calls (one transaction each) would take minutes.
// Endpoints are https://push.bench.invalid/push/s<n>: stable across runs, whatever port
// the fake service gets (the notifyAll child routes them to it).

import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type * as StoreSqlite from "../../packages/store-sqlite/src/index.ts";
import { progress, progressDone } from "./progress.ts";
import type { ReceiverKeys } from "./receivers.ts";
import { fromRoot, load } from "./workspace.ts";

export const BENCH_ORIGIN = "https://push.bench.invalid";

interface Statement {
  run(...values: unknown[]): unknown;
}
interface Database {
  pragma(source: string): unknown;
  prepare(source: string): Statement;
  transaction(fn: () => void): () => void;
  close(): void;
}

/** The path of a database of `rows` subscriptions, built now if missing. */
export async function sqliteCache(rows: number, keys: ReceiverKeys[]): Promise<string> {
  const dir = fromRoot("bench/.cache/");
  mkdirSync(dir, { recursive: true });
  const path = fileURLToPath(new URL(`notify-all-${rows}.db`, dir));
  if (existsSync(path)) return path;

  const building = `${path}.building`;
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${building}${suffix}`, { force: true });
  const started = performance.now();
  const { createSqliteStore } = await load<typeof StoreSqlite>("pusher", "@swp/store-sqlite");
  await (await createSqliteStore({ path: building })).close();
  const { default: Sqlite } = await load<{ default: new (path: string) => Database }>(
    "pusher",
    "better-sqlite3",
  );
  const db = new Sqlite(building);
  db.pragma("journal_mode = WAL");
  const insert = db.prepare(
    `INSERT INTO subscriptions (session_id, endpoint, p256dh, auth, expiration_time, group_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, NULL, 0, ?, ?)`,
  );
  const now = Date.now();
  const chunk = 50_000;
  for (let from = 0; from < rows; from += chunk) {
    db.transaction(() => {
      for (let n = from; n < Math.min(rows, from + chunk); n++) {
        const k = keys[n % keys.length]!;
        const id = String(n).padStart(8, "0");
        insert.run(`session-${id}`, `${BENCH_ORIGIN}/push/s${id}`, k.p256dh, k.auth, now, now);
      }
    })();
    progress(
      `building the SQLite store: ${Math.min(rows, from + chunk).toLocaleString("en-US")}/${rows.toLocaleString("en-US")} rows`,
    );
  }
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  rmSync(`${building}-wal`, { force: true });
  rmSync(`${building}-shm`, { force: true });
  renameSync(building, path);
  progressDone(
    `built ${rows.toLocaleString("en-US")} subscriptions in ${((performance.now() - started) / 1000).toFixed(1)} s: ${path}`,
  );
  return path;
}
