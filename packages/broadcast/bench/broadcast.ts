// pnpm bench: distributed broadcasts on this machine, and the PostgreSQL store next to SQLite.
//
//   1. The same 50,000-message broadcast sent by 1 and then by 2 worker processes (pg-boss on
//      PostgreSQL, the fake push service in this process with verification off), messages/s
//      from startBroadcast to the last batch recorded, and the ratio. Baseline in the same
//      run: one process sending the same 50,000 with a bare sender.sendAll (no queue).
//   2. The stores: put (one transaction each) and list() (stream every row) per second on
//      PostgreSQL and on SQLite (a file, WAL), same rows, same run.
//
// Needs PostgreSQL: SWP_TEST_POSTGRES_URL, else it starts one with .ci/postgres.sh (root, Debian).
//   npx tsx bench/broadcast.ts [messages=50000] [storeRows=20000] [rounds=3]
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { openBroadcaster } from "@swp/broadcast";
import { base64urlEncode, generateSubscriptionKeys } from "@swp/ece";
import { createSender, type PushSubscription, type SendItem } from "@swp/sender";
import type { SubscriptionStore } from "@swp/store";
import { createPostgresStore } from "@swp/store-postgres";
import { createSqliteStore } from "@swp/store-sqlite";
import { startFakePushService } from "@swp/testing";
import { createVapid, generateVapidKeys, vapidKeysToBase64Url } from "@swp/vapid";
import pg from "pg";

// SWP_TEST_POSTGRES_URL, or the repository's Debian PostgreSQL started (and stopped at the
// end) through .ci/postgres.sh, so that `pnpm bench:packages` needs no setup on this machine.
const postgresScript = fileURLToPath(new URL("../../../.ci/postgres.sh", import.meta.url));
const startedHere = !process.env.SWP_TEST_POSTGRES_URL;
const url =
  process.env.SWP_TEST_POSTGRES_URL ||
  execFileSync("bash", [postgresScript], { encoding: "utf8" }).trim();
const messages = Number(process.argv[2] ?? 50_000);
const storeRows = Number(process.argv[3] ?? 20_000);
const rounds = Number(process.argv[4] ?? 3);
const payload = JSON.stringify({ title: "Bench", body: "x".repeat(200) }); // ~250 bytes
const schema = `swp_bench_${process.pid}`;
const workerScript = fileURLToPath(
  new URL("../src/test-support/worker-process.mjs", import.meta.url),
);

const service = await startFakePushService({ verify: false, record: false, acceptUnknown: true });
const keys = await generateVapidKeys();
const vapid = createVapid({ keys, subject: "mailto:bench@example.com" });

// 1,000 receiver key pairs behind distinct endpoints: a valid subscription per row without
// 50,000 key generations (the service does not decrypt, the sender encrypts every message).
const receiverKeys = await Promise.all(
  Array.from({ length: 1000 }, async () => {
    const k = await generateSubscriptionKeys();
    return { p256dh: base64urlEncode(k.uaPublic), auth: base64urlEncode(k.authSecret) };
  }),
);
function subscription(n: number, label: string): PushSubscription {
  return { endpoint: `${service.origin}/push/${label}-${n}`, keys: receiverKeys[n % 1000]! };
}

async function admin(text: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
}

async function fillSubscriptions(label: string): Promise<void> {
  await admin(`truncate "${schema}".subscriptions`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let start = 0; start < messages; start += 1000) {
      const values: unknown[] = [];
      const rows: string[] = [];
      for (let n = start; n < Math.min(messages, start + 1000); n++) {
        const s = subscription(n, label);
        const at = values.length;
        values.push(`s${String(n).padStart(7, "0")}`, s.endpoint, s.keys.p256dh, s.keys.auth);
        rows.push(`($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, null, 0, 0, 0)`);
      }
      await client.query(`insert into "${schema}".subscriptions values ${rows.join(", ")}`, values);
    }
  } finally {
    await client.end();
  }
}

interface Worker {
  child: ChildProcess;
  exited: Promise<void>;
}

async function startWorkers(count: number, env: Record<string, string>): Promise<Worker[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const child = spawn(process.execPath, [workerScript], {
        env: { ...process.env, ...env, SWP_TEST_WORKER_NAME: `bench-${i}` },
        stdio: ["ignore", "pipe", "inherit"],
      });
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      return new Promise<Worker>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on("line", (line) => {
          if ((JSON.parse(line) as { event: string }).event === "ready") resolve({ child, exited });
        });
        child.once("exit", (code) => reject(new Error(`bench worker exited (${code})`)));
      });
    }),
  );
}

async function distributed(workerCount: number, senderWorkers?: number): Promise<number> {
  await fillSubscriptions(`w${workerCount}-${senderWorkers ?? "d"}`);
  const bossSchema = `${schema}_boss_${workerCount}_${senderWorkers ?? "d"}`;
  const { publicKey, privateKey } = await vapidKeysToBase64Url(keys);
  const env = {
    SWP_TEST_POSTGRES_URL: url,
    SWP_TEST_SCHEMA: schema,
    SWP_TEST_BOSS_SCHEMA: bossSchema,
    SWP_TEST_VAPID_PUBLIC: publicKey,
    SWP_TEST_VAPID_PRIVATE: privateKey,
    SWP_TEST_CA: service.ca,
    SWP_TEST_CONCURRENCY: "2",
    ...(senderWorkers === undefined ? {} : { SWP_TEST_SENDER_WORKERS: String(senderWorkers) }),
  };
  const broadcaster = await openBroadcaster({ connectionString: url, schema, bossSchema });
  const workers = await startWorkers(workerCount, env);
  try {
    const start = performance.now();
    const id = await broadcaster.startBroadcast({ payload, batchSize: 1000 });
    const summary = await broadcaster.waitForBroadcast(id, { intervalMs: 100 });
    const seconds = (performance.now() - start) / 1000;
    if (summary.sent !== messages) throw new Error(`${summary.sent} of ${messages} sent`);
    return messages / seconds;
  } finally {
    for (const w of workers) w.child.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));
    await broadcaster.close();
    await admin(`drop schema if exists "${bossSchema}" cascade`);
  }
}

async function singleProcess(): Promise<number> {
  const sender = createSender({ vapid, ca: service.ca, allowHosts: ["127.0.0.1"] });
  const items: SendItem[] = Array.from({ length: messages }, (_, n) => ({
    subscription: subscription(n, "single"),
    payload,
  }));
  const start = performance.now();
  const summary = await sender.sendAll(items).summary;
  const seconds = (performance.now() - start) / 1000;
  await sender.close();
  if (summary.sent !== messages) throw new Error(`${summary.sent} of ${messages} sent`);
  return messages / seconds;
}

async function storeRates(store: SubscriptionStore): Promise<{ put: number; list: number }> {
  let start = performance.now();
  for (let n = 0; n < storeRows; n++) {
    await store.put(`session-${String(n).padStart(8, "0")}`, subscription(n, "store"));
  }
  const put = storeRows / ((performance.now() - start) / 1000);
  start = performance.now();
  let listed = 0;
  for await (const _ of store.list()) listed++;
  const list = listed / ((performance.now() - start) / 1000);
  if (listed !== storeRows) throw new Error(`listed ${listed} of ${storeRows}`);
  await store.close();
  return { put, list };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US").padStart(9);
const dir = mkdtempSync(join(tmpdir(), "swp-broadcast-bench-"));
try {
  console.log(`@swp/broadcast bench (node ${process.version}, PostgreSQL, ${messages} messages)\n`);
  await createPostgresStore({ connectionString: url, schema, max: 1 }).then((s) => s.close());

  await singleProcess(); // warm-up of the fake service's TLS and JIT
  // Rounds interleave the configurations, so that load from other work on the machine
  // spreads over all of them; each line gives the median and the range.
  const runs = {
    single: [] as number[],
    one: [] as number[],
    two: [] as number[],
    lean: [] as number[],
  };
  for (let round = 0; round < rounds; round++) {
    runs.single.push(await singleProcess());
    runs.one.push(await distributed(1));
    runs.two.push(await distributed(2));
    runs.lean.push(await distributed(2, 1));
  }
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const range = (xs: number[]) => `[${fmt(Math.min(...xs)).trim()}–${fmt(Math.max(...xs)).trim()}]`;
  const single = median(runs.single);
  const one = median(runs.one);
  const line = (label: string, xs: number[], extra: string) =>
    console.log(`${label.padEnd(44)} ${fmt(median(xs))} msgs/s ${range(xs).padEnd(16)} ${extra}`);
  console.log(`median of ${rounds} rounds [min–max]`);
  line("one process, sender.sendAll, no queue", runs.single, "(baseline)");
  line("distributed, 1 worker process", runs.one, `${(one / single).toFixed(2)}x baseline`);
  line(
    "distributed, 2 worker processes",
    runs.two,
    `${(median(runs.two) / single).toFixed(2)}x baseline, ${(median(runs.two) / one).toFixed(2)}x 1 worker`,
  );
  line(
    "  the same, 1 encryption thread per process",
    runs.lean,
    `${(median(runs.lean) / single).toFixed(2)}x baseline, ${(median(runs.lean) / one).toFixed(2)}x 1 worker`,
  );

  await admin(`truncate "${schema}".subscriptions`);
  const postgres = await storeRates(
    await createPostgresStore({ connectionString: url, schema, max: 2 }),
  );
  const sqlite = await storeRates(await createSqliteStore({ path: join(dir, "bench.db") }));
  console.log(
    `\nstores, ${storeRows} rows (put: one transaction each; list: every row, pages of 500)`,
  );
  console.log(`${"SQLite put".padEnd(44)} ${fmt(sqlite.put)} rows/s  (baseline)`);
  console.log(
    `${"PostgreSQL put".padEnd(44)} ${fmt(postgres.put)} rows/s  ${(postgres.put / sqlite.put).toFixed(2)}x SQLite`,
  );
  console.log(`${"SQLite list".padEnd(44)} ${fmt(sqlite.list)} rows/s  (baseline)`);
  console.log(
    `${"PostgreSQL list".padEnd(44)} ${fmt(postgres.list)} rows/s  ${(postgres.list / sqlite.list).toFixed(2)}x SQLite`,
  );
} finally {
  await admin(`drop schema if exists "${schema}" cascade`);
  await service.close();
  rmSync(dir, { recursive: true, force: true });
  if (startedHere) execFileSync("bash", [postgresScript, "stop"], { stdio: "inherit" });
}
