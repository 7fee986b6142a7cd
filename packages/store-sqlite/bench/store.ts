// pnpm bench: the SQLite store's throughput next to raw better-sqlite3 doing the same
// SQL in the same run, and peak RSS while listing 1,000,000 rows (limit: 150 MB).
//
//   insert  100,000 store.put (one transaction each)   vs raw prepared statements, same transactions
//   stream  100,000 rows through store.list()           vs raw stmt.iterate() over the same table
//   list    1,000,000 rows in a plain-node child process (bench/list-child.mjs): rows/s and its peak RSS
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSqliteStore } from "@swp/store-sqlite";
import Database from "better-sqlite3";

const INSERTS = 100_000;
const LISTED = 1_000_000;
const RSS_LIMIT_MB = 150;

// Public RFC 8291 Appendix A test keys: a valid subscription without generating keys.
const keys = {
  p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
};
const sessionId = (n: number) => `session-${String(n).padStart(8, "0")}`;
const endpoint = (n: number) => `https://fcm.googleapis.com/fcm/send/bench-${n}-${"x".repeat(100)}`;

function perSecond(rows: number, ms: number): number {
  return Math.round(rows / (ms / 1000));
}
function line(label: string, rows: number, ms: number, baselineMs?: number): void {
  const ratio = baselineMs === undefined ? "" : `  (${(baselineMs / ms).toFixed(2)}x of baseline)`;
  console.log(
    `${label.padEnd(44)} ${String(perSecond(rows, ms)).padStart(9)} rows/s  ${ms.toFixed(0).padStart(6)} ms${ratio}`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "swp-store-bench-"));
  try {
    console.log(
      `@swp/store-sqlite bench (node ${process.version}, SQLite WAL, synchronous=NORMAL)\n`,
    );

    // --- insert 100,000 --------------------------------------------------------------
    const basePath = join(dir, "baseline.db");
    (await createSqliteStore({ path: basePath })).close(); // same schema and pragmas
    const raw = new Database(basePath);
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    const del = raw.prepare("DELETE FROM subscriptions WHERE endpoint = ? AND session_id <> ?");
    const upsert = raw.prepare(
      `INSERT INTO subscriptions (session_id, endpoint, p256dh, auth, expiration_time, group_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, NULL, ?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET endpoint = excluded.endpoint, p256dh = excluded.p256dh,
         auth = excluded.auth, expiration_time = excluded.expiration_time, group_id = excluded.group_id,
         updated_at = excluded.updated_at`,
    );
    const rawPut = raw.transaction((n: number) => {
      const now = Date.now();
      del.run(endpoint(n), sessionId(n));
      upsert.run(sessionId(n), endpoint(n), keys.p256dh, keys.auth, n % 4, now, now);
    });
    let t = performance.now();
    for (let n = 0; n < INSERTS; n++) rawPut(n);
    const rawInsertMs = performance.now() - t;

    const storePath = join(dir, "store.db");
    const store = await createSqliteStore({ path: storePath });
    t = performance.now();
    for (let n = 0; n < INSERTS; n++)
      await store.put(sessionId(n), { endpoint: endpoint(n), keys }, n % 4);
    const storeInsertMs = performance.now() - t;
    line("baseline: raw better-sqlite3 upsert, 1 tx/row", INSERTS, rawInsertMs);
    line("store.put (parse + validate + kysely), 1 tx/row", INSERTS, storeInsertMs, rawInsertMs);

    // --- stream 100,000 back ---------------------------------------------------------
    t = performance.now();
    let rawRows = 0;
    for (const row of raw.prepare("SELECT * FROM subscriptions ORDER BY session_id").iterate()) {
      if ((row as { session_id: string }).session_id) rawRows++;
    }
    const rawStreamMs = performance.now() - t;
    t = performance.now();
    let storeRows = 0;
    for await (const row of store.list()) if (row.sessionId) storeRows++;
    const storeStreamMs = performance.now() - t;
    if (rawRows !== INSERTS || storeRows !== INSERTS)
      throw new Error(`streamed ${rawRows}/${storeRows} rows`);
    line("baseline: raw stmt.iterate(), one cursor", INSERTS, rawStreamMs);
    line("store.list() (keyset pages of 500)", INSERTS, storeStreamMs, rawStreamMs);
    await store.close();
    raw.close();

    // --- list 1,000,000 in a fresh process, measuring its peak RSS ----------------------
    const bigPath = join(dir, "million.db");
    (await createSqliteStore({ path: bigPath })).close();
    const big = new Database(bigPath);
    big.pragma("journal_mode = WAL");
    t = performance.now();
    const insert = big.prepare(
      "INSERT INTO subscriptions (session_id, endpoint, p256dh, auth, expiration_time, group_id, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)",
    );
    const now = Date.now();
    big.transaction(() => {
      for (let n = 0; n < LISTED; n++)
        insert.run(sessionId(n), endpoint(n), keys.p256dh, keys.auth, n % 4, now, now);
    })();
    big.pragma("wal_checkpoint(TRUNCATE)");
    big.close();
    console.log(
      `\nbuilt ${LISTED.toLocaleString("en")} rows in one transaction: ${(performance.now() - t).toFixed(0)} ms, ${(statSync(bigPath).size / 2 ** 20).toFixed(0)} MB file`,
    );

    const childScript = fileURLToPath(new URL("./list-child.mjs", import.meta.url));
    const child = spawnSync(process.execPath, [childScript, bigPath], { encoding: "utf8" });
    if (child.status !== 0) throw new Error(`list child failed: ${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as {
      rows: number;
      ms: number;
      startRssMb: number;
      maxRssMb: number;
      sampledPeakMb: number;
    };
    if (result.rows !== LISTED) throw new Error(`listed ${result.rows} rows`);
    line("store.list() of 1,000,000 rows (child process)", result.rows, result.ms);
    const ok = result.maxRssMb < RSS_LIMIT_MB;
    console.log(
      `peak RSS of that process: ${result.maxRssMb.toFixed(1)} MB (${result.startRssMb.toFixed(1)} MB once the store was open, ${result.sampledPeakMb.toFixed(1)} MB sampled while listing), limit ${RSS_LIMIT_MB} MB: ${ok ? "ok" : "OVER"}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
