// Distributed broadcasts on a real PostgreSQL and a real pg-boss, to the fake push service:
// in-process first (options, progress, restart of the coordinator), then 20,000
// subscriptions over 3 worker processes, one of them SIGKILLed halfway.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createSender, type PushSubscription } from "@swp/sender";
import { createPostgresStore } from "@swp/store-postgres";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { createVapid, generateVapidKeys, type VapidKeys, vapidKeysToBase64Url } from "@swp/vapid";
import pg from "pg";
import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BatchReport, type BroadcastProgress, openBroadcaster, runWorker } from "./index.ts";
import { dropSchemas, freshSchemaName, query, testDatabaseUrl } from "./test-support/postgres.ts";

const url = testDatabaseUrl();
const created = new Set<string>();
afterAll(() => dropSchemas(created));

/** A schema for the tables and one for pg-boss, used by this test only. */
function schemas(): { schema: string; bossSchema: string } {
  const schema = freshSchemaName("swp_bc");
  const bossSchema = `${schema}_boss`;
  created.add(schema);
  created.add(bossSchema);
  return { schema, bossSchema };
}

let service: FakePushService;
let keys: VapidKeys;
beforeAll(async () => {
  service = await startFakePushService();
  keys = await generateVapidKeys();
});
afterAll(() => service.close());

/** Stores the subscriptions as `s<000000n>` in `schema`, 1,000 rows per INSERT. */
async function storeSubscriptions(
  schema: string,
  subscriptions: PushSubscription[],
  groupOf: (n: number) => number = () => 0,
): Promise<string[]> {
  const store = await createPostgresStore({ connectionString: url, schema, max: 1 });
  await store.close(); // creates the schema and its tables
  const ids = subscriptions.map((_, n) => `s${String(n).padStart(6, "0")}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let start = 0; start < subscriptions.length; start += 1000) {
      const values: unknown[] = [];
      const rows: string[] = [];
      subscriptions.slice(start, start + 1000).forEach((s, i) => {
        const n = start + i;
        const at = values.length;
        values.push(ids[n], s.endpoint, s.keys.p256dh, s.keys.auth, groupOf(n));
        rows.push(`($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, null, $${at + 5}, 0, 0)`);
      });
      await client.query(`insert into "${schema}".subscriptions values ${rows.join(", ")}`, values);
    }
  } finally {
    await client.end();
  }
  return ids;
}

function senderForTests() {
  return createSender({
    vapid: createVapid({ keys, subject: "mailto:ops@example.com" }),
    ca: service.ca,
    allowHosts: ["127.0.0.1"],
  });
}

async function subscribeMany(count: number): Promise<PushSubscription[]> {
  const out: PushSubscription[] = [];
  for (let n = 0; n < count; n++) {
    out.push(await service.subscribe({ applicationServerKey: keys.publicKey }));
  }
  return out;
}

describe("a broadcast with one in-process worker", () => {
  it("sends to its group but the excepted ids, prunes gone ones, and reports progress to the end", async () => {
    const where = { connectionString: url, ...schemas() };
    const subscriptions = await subscribeMany(60);
    // Groups: even rows in group 1, odd rows in group 2.
    const ids = await storeSubscriptions(where.schema, subscriptions, (n) => 1 + (n % 2));
    const group1 = subscriptions.filter((_, n) => n % 2 === 0);
    const gone = group1.slice(3, 8); // rows 6 to 14, none of them excepted
    for (const s of gone) service.unsubscribe(s);
    const except = [ids[2]!, ids[4]!];
    const first = service.messages.length;

    const broadcaster = await openBroadcaster({ ...where, leaseSeconds: 30 });
    const id = await broadcaster.startBroadcast({
      payload: "team news",
      groupId: 1,
      except,
      batchSize: 7,
      ttl: 60,
    });
    const started = await broadcaster.getBroadcast(id);
    expect(started).toMatchObject({ batches: 5, batchesDone: 0, expected: 30, done: false });

    const sender = senderForTests();
    const worker = await runWorker({ ...where, sender, pollingIntervalSeconds: 0.5 });
    const seen: BroadcastProgress[] = [];
    const summary = await broadcaster.waitForBroadcast(id, {
      intervalMs: 100,
      onProgress: (p) => seen.push(p),
    });
    expect(summary).toEqual({ id, total: 28, sent: 23, gone: 5, failed: 0 });
    // Progress only moves forward and ends with done.
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.batchesDone).toBeGreaterThanOrEqual(seen[i - 1]!.batchesDone);
    }
    expect(seen.at(-1)).toMatchObject({ done: true, batchesDone: 5, attempts: 5 });

    const received = service.messages.slice(first);
    expect(received.length).toBe(23);
    expect(new Set(received.map((m) => m.text))).toEqual(new Set(["team news"]));
    expect(new Set(received.map((m) => m.headers.topic))).toEqual(
      new Set([id.replaceAll("-", "")]),
    );
    expect(new Set(received.map((m) => m.headers.ttl))).toEqual(new Set(["60"]));
    const excepted = new Set([subscriptions[2]!.endpoint, subscriptions[4]!.endpoint]);
    const group2 = new Set(subscriptions.filter((_, n) => n % 2 === 1).map((s) => s.endpoint));
    expect(received.some((m) => excepted.has(m.endpoint) || group2.has(m.endpoint))).toBe(false);

    const left = await query<{ endpoint: string }>(
      `select endpoint from "${where.schema}".subscriptions`,
    );
    expect(left.length).toBe(55);
    expect(left.some((r) => gone.some((g) => g.endpoint === r.endpoint))).toBe(false);

    await worker.stop();
    await sender.close();
    await broadcaster.close();
  });

  it("survives a restart of the coordinator: another process follows the broadcast to its end", async () => {
    const where = { connectionString: url, ...schemas() };
    await storeSubscriptions(where.schema, await subscribeMany(12));
    const before = await openBroadcaster(where);
    const id = await before.startBroadcast({ payload: "after the restart", batchSize: 5 });
    await before.close(); // the coordinator goes away before any worker ran

    const sender = senderForTests();
    const worker = await runWorker({ ...where, sender, pollingIntervalSeconds: 0.5 });
    const after = await openBroadcaster(where);
    expect(await after.waitForBroadcast(id, { intervalMs: 100 })).toEqual({
      id,
      total: 12,
      sent: 12,
      gone: 0,
      failed: 0,
    });
    await worker.stop();
    await sender.close();
    await after.close();
  });

  it("runs on a pool of the caller's: pg-boss goes through it too, and the pool is left open", async () => {
    const { schema, bossSchema } = schemas();
    await storeSubscriptions(schema, await subscribeMany(4));
    const pool = new pg.Pool({ connectionString: url, max: 6 });
    const broadcaster = await openBroadcaster({ pool, schema, bossSchema });
    const sender = senderForTests();
    const worker = await runWorker({
      pool,
      schema,
      bossSchema,
      sender,
      pollingIntervalSeconds: 0.5,
    });
    const id = await broadcaster.startBroadcast({ payload: "pooled" });
    expect(await broadcaster.waitForBroadcast(id, { intervalMs: 100 })).toMatchObject({
      total: 4,
      sent: 4,
    });
    await worker.stop();
    await broadcaster.close();
    await sender.close();
    expect((await pool.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
    await pool.end();
  });

  it("a batch run again after it was recorded sends nothing and counts nothing twice", async () => {
    const where = { connectionString: url, ...schemas() };
    await storeSubscriptions(where.schema, await subscribeMany(6));
    const broadcaster = await openBroadcaster(where);
    const sender = senderForTests();
    const reports: BatchReport[] = [];
    const worker = await runWorker({
      ...where,
      sender,
      pollingIntervalSeconds: 0.5,
      onBatch: (r) => reports.push(r),
    });
    const id = await broadcaster.startBroadcast({ payload: "once", batchSize: 3 });
    const summary = await broadcaster.waitForBroadcast(id, { intervalMs: 100 });
    expect(summary).toMatchObject({ total: 6, sent: 6 });
    const sentBefore = service.messages.length;

    // The job of batch 0 delivered again, as after a crash between recording and completing.
    const boss = new PgBoss({ connectionString: url, schema: where.bossSchema, max: 1 });
    boss.on("error", () => {});
    await boss.start();
    await boss.send("swp-broadcast", { broadcastId: id, batchNo: 0, schema: where.schema });
    while (!reports.some((r) => r.outcome === "already-done")) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await boss.stop({ graceful: false });
    expect(service.messages.length).toBe(sentBefore);
    expect(await broadcaster.getBroadcast(id)).toMatchObject({
      sent: 6,
      batchesDone: 2,
      done: true,
    });
    await worker.stop();
    await sender.close();
    await broadcaster.close();
  });

  it("a batch that outlasts 80 % of its lease is recorded with what it has, not run twice", async () => {
    const where = { connectionString: url, ...schemas() };
    const subscriptions = await subscribeMany(6);
    await storeSubscriptions(where.schema, subscriptions);
    for (const s of subscriptions.slice(0, 2)) service.script(s, "stall"); // never answered
    const broadcaster = await openBroadcaster({ ...where, leaseSeconds: 2 });
    const sender = senderForTests();
    const worker = await runWorker({ ...where, sender, pollingIntervalSeconds: 0.5 });
    const id = await broadcaster.startBroadcast({ payload: "slow" });
    expect(await broadcaster.waitForBroadcast(id, { intervalMs: 100 })).toEqual({
      id,
      total: 6,
      sent: 4,
      gone: 0,
      failed: 2,
    });
    expect(await broadcaster.getBroadcast(id)).toMatchObject({ attempts: 1, batchesDone: 1 });
    await worker.stop();
    await sender.close();
    await broadcaster.close();
  });

  it("a batch whose job fails for good is counted failed, so the broadcast still ends", async () => {
    const where = { connectionString: url, ...schemas() };
    await storeSubscriptions(where.schema, await subscribeMany(5));
    const broadcaster = await openBroadcaster({ ...where, retryLimit: 0 });
    // A worker on the same queue but other tables: it cannot run the batch, and fails its job.
    const other = schemas();
    const errors: string[] = [];
    const sender = senderForTests();
    const worker = await runWorker({
      connectionString: url,
      schema: other.schema,
      bossSchema: where.bossSchema,
      sender,
      pollingIntervalSeconds: 0.5,
      onError: (e) => errors.push(e.message),
    });
    const id = await broadcaster.startBroadcast({ payload: "lost" });
    expect(await broadcaster.waitForBroadcast(id, { intervalMs: 100 })).toEqual({
      id,
      total: 5,
      sent: 0,
      gone: 0,
      failed: 5,
    });
    expect(await broadcaster.getBroadcast(id)).toMatchObject({ batchesFailed: 1, done: true });
    expect(errors[0]).toContain(`is for schema ${where.schema}`);
    await worker.stop();
    await sender.close();
    await broadcaster.close();
  });

  it("an empty audience is one empty batch, done at once; an unknown id is ERR_BROADCAST_NOT_FOUND", async () => {
    const where = { connectionString: url, ...schemas() };
    await storeSubscriptions(where.schema, []);
    const broadcaster = await openBroadcaster(where);
    const sender = senderForTests();
    const worker = await runWorker({ ...where, sender, pollingIntervalSeconds: 0.5 });
    const id = await broadcaster.startBroadcast({ payload: "nobody" });
    expect(await broadcaster.waitForBroadcast(id, { intervalMs: 100 })).toEqual({
      id,
      total: 0,
      sent: 0,
      gone: 0,
      failed: 0,
    });
    await expect(
      broadcaster.getBroadcast("00000000-0000-0000-0000-000000000000"),
    ).rejects.toMatchObject({
      name: "BroadcastError",
      code: "ERR_BROADCAST_NOT_FOUND",
    });
    await expect(
      broadcaster.startBroadcast({ payload: "x", topic: "not a topic!" }),
    ).rejects.toBeInstanceOf(RangeError);
    await expect(broadcaster.startBroadcast({ payload: "x", batchSize: 0 })).rejects.toBeInstanceOf(
      RangeError,
    );
    await worker.stop();
    await sender.close();
    await broadcaster.close();
    await expect(broadcaster.startBroadcast({ payload: "x" })).rejects.toMatchObject({
      code: "ERR_BROADCAST_CLOSED",
    });
  });
});

// ---------------------------------------------------------------------------------------

const workerScript = fileURLToPath(new URL("./test-support/worker-process.mjs", import.meta.url));

interface WorkerProcess {
  name: string;
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<unknown>;
}

async function spawnWorker(name: string, env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [workerScript], {
    env: { ...process.env, ...env, SWP_TEST_WORKER_NAME: name },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: Array<Record<string, unknown>> = [];
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const event = JSON.parse(line) as Record<string, unknown>;
      lines.push(event);
      if (event.event === "ready") resolve();
    });
    child.once("exit", (code) =>
      reject(new Error(`worker ${name} exited (${code}) before it was ready`)),
    );
  });
  const exited = once(child, "exit");
  await ready;
  return { name, child, lines, exited };
}

describe("20,000 subscriptions, 3 worker processes, one killed halfway", () => {
  it("every subscription gets a result, the summary adds up, gone ones are pruned", async () => {
    const { schema, bossSchema } = schemas();
    const total = 20_000;
    const batchSize = 250;
    const subscriptions = await subscribeMany(total);
    await storeSubscriptions(schema, subscriptions);
    const gone = subscriptions.filter((_, n) => n % 100 === 37); // 200 scattered over the batches
    for (const s of gone) service.unsubscribe(s);
    const goneEndpoints = new Set(gone.map((s) => s.endpoint));
    const first = service.messages.length;

    const { publicKey, privateKey } = await vapidKeysToBase64Url(keys);
    const env = {
      SWP_TEST_POSTGRES_URL: url,
      SWP_TEST_SCHEMA: schema,
      SWP_TEST_BOSS_SCHEMA: bossSchema,
      SWP_TEST_VAPID_PUBLIC: publicKey,
      SWP_TEST_VAPID_PRIVATE: privateKey,
      SWP_TEST_CA: service.ca,
    };
    const broadcaster = await openBroadcaster({
      connectionString: url,
      schema,
      bossSchema,
      leaseSeconds: 8,
    });
    const workers = await Promise.all(["w0", "w1", "w2"].map((name) => spawnWorker(name, env)));
    const victim = workers[0]!;
    try {
      const id = await broadcaster.startBroadcast({ payload: "to everyone", batchSize });
      const batches = total / batchSize;
      // Halfway (by batches recorded), kill w0 at a moment it holds a batch: it has claimed
      // one (state pending, started by w0) and not recorded it.
      let killed = false;
      for await (const progress of broadcaster.followBroadcast(id, { intervalMs: 100 })) {
        if (killed || progress.batchesDone < batches / 2) continue;
        for (;;) {
          const held = await query(
            `select 1 from "${schema}".swp_broadcast_batches
             where broadcast_id = $1 and worker = 'w0' and state = 'pending'`,
            [id],
          );
          if (held.length > 0) break;
        }
        victim.child.kill("SIGKILL");
        killed = true;
      }
      await victim.exited;
      expect(killed).toBe(true);
      const summary = await broadcaster.waitForBroadcast(id);
      const heldByVictim = Number(
        (
          await query<{ n: string }>(
            `select count(*) as n from "${schema}".swp_broadcast_batches where broadcast_id = $1 and attempts > 1`,
            [id],
          )
        )[0]!.n,
      );
      expect(heldByVictim).toBeGreaterThanOrEqual(1);

      // The summary adds up to the whole audience, with the gone ones counted once each.
      expect(summary).toEqual({
        id,
        total,
        sent: total - gone.length,
        gone: gone.length,
        failed: 0,
      });
      const progress = await broadcaster.getBroadcast(id);
      expect(progress).toMatchObject({
        batches,
        batchesDone: batches,
        batchesFailed: 0,
        done: true,
      });

      // Every live subscription got the message; duplicates only from re-run batches.
      const received = service.messages.slice(first);
      const reached = new Set(received.map((m) => m.endpoint));
      const missed = subscriptions.filter(
        (s) => !goneEndpoints.has(s.endpoint) && !reached.has(s.endpoint),
      );
      expect(missed.length).toBe(0);
      const duplicates = received.length - reached.size;
      expect(duplicates).toBeLessThanOrEqual(heldByVictim * batchSize);
      expect(new Set(received.map((m) => m.headers.topic))).toEqual(
        new Set([id.replaceAll("-", "")]),
      );

      // The killed worker's batches were taken over after its lease by the others.
      const recordedBy = await query<{ worker: string; n: string }>(
        `select worker, count(*) as n from "${schema}".swp_broadcast_batches where broadcast_id = $1 group by worker`,
        [id],
      );
      const survivors = recordedBy
        .filter((r) => r.worker !== "w0")
        .reduce((n, r) => n + Number(r.n), 0);
      expect(survivors).toBeGreaterThanOrEqual(batches / 2);
      expect(progress.attempts).toBe(batches + heldByVictim);

      // Gone subscriptions are pruned, the rest kept.
      const left = await query<{ endpoint: string }>(
        `select endpoint from "${schema}".subscriptions`,
      );
      expect(left.length).toBe(total - gone.length);
      expect(left.some((r) => goneEndpoints.has(r.endpoint))).toBe(false);
    } finally {
      for (const w of workers)
        if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGTERM");
      await Promise.all(workers.map((w) => w.exited));
      await broadcaster.close();
    }
  }, 150_000);
});
