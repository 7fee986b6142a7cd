// The facade and the swp command line on a real PostgreSQL (SWP_TEST_POSTGRES_URL): the
// postgres option, notifyAll({ distributed: true }) with a worker, and `swp worker` +
// `swp notify-all --distributed` as real processes.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { generateVapidKeys } from "@swp/vapid";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pusher, type PushProgress } from "./index.ts";
import { assertBuilt, packageRoot, spawnNode } from "./test-support/spawn-node.ts";

const url = process.env.SWP_TEST_POSTGRES_URL;
if (!url) {
  throw new Error(
    "SWP_TEST_POSTGRES_URL is not set: these tests need a PostgreSQL database. " +
      "Start one with `export SWP_TEST_POSTGRES_URL=$(bash .ci/postgres.sh)` from the repository root.",
  );
}
const bin = join(packageRoot, "bin", "swp.js");
const dir = mkdtempSync(join(tmpdir(), "swp-pusher-pg-"));
const schemas = new Set<string>();
let service: FakePushService;

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function schemaName(label: string): string {
  const name = `swp_pusher_${label}_${process.pid}_${Date.now().toString(36)}`;
  schemas.add(name);
  return name;
}

beforeAll(async () => {
  assertBuilt();
  service = await startFakePushService();
});
afterAll(async () => {
  await service.close();
  await sql([...schemas].map((s) => `drop schema if exists "${s}" cascade`).join(";"));
  rmSync(dir, { recursive: true, force: true });
});

describe("the facade on PostgreSQL", () => {
  it("stores subscriptions there and runs a distributed notifyAll with a worker", async () => {
    const schema = schemaName("facade");
    const postgres = { connectionString: url, schema, bossSchema: `${schema}_boss`, queue: "q" };
    schemas.add(postgres.bossSchema);
    const keys = await generateVapidKeys();
    const options = {
      subject: "mailto:ops@example.com",
      keys,
      postgres,
      ca: service.ca,
      allowHosts: ["127.0.0.1"],
    };
    const app = new Pusher(options);
    const subscriptions = [];
    for (let n = 0; n < 20; n++) {
      const subscription = await service.subscribe({ applicationServerKey: keys.publicKey });
      subscriptions.push(subscription);
      await app.newSubscription(`session-${n}`, subscription, n % 2);
    }
    expect(await app.countSubscriptions()).toBe(20);
    expect(await app.getGroupId("session-3")).toBe(1);
    for (const s of subscriptions.slice(0, 3)) service.unsubscribe(s);

    const workers = new Pusher(options);
    const worker = await workers.runWorker({ pollingIntervalSeconds: 0.5 });
    const first = service.messages.length;
    const progress: PushProgress[] = [];
    let broadcastId: string | undefined;
    const summary = await app.notifyAll(
      { title: "Team news" },
      {
        distributed: true,
        batchSize: 6,
        except: ["session-19"],
        ttl: 120,
        onBroadcast: (id) => {
          broadcastId = id;
        },
        onProgress: (p) => progress.push(p),
      },
    );
    expect(summary).toEqual({ total: 19, sent: 16, gone: 3, failed: 0, results: [], errors: [] });
    expect(progress.at(-1)).toEqual({ done: 19, total: 20, sent: 16, gone: 3, failed: 0 });
    const received = service.messages.slice(first);
    expect(received.map((m) => JSON.parse(m.text))).toEqual(
      Array.from({ length: 16 }, () => ({ title: "Team news" })),
    );
    expect(new Set(received.map((m) => m.headers.topic))).toEqual(
      new Set([broadcastId!.replaceAll("-", "")]),
    );
    expect(await app.countSubscriptions()).toBe(17);
    await worker.stop();
    await Promise.all([app.close(), workers.close()]);
  });
});

describe("swp worker and swp notify-all --distributed as processes", () => {
  it("a worker process sends what notify-all queues, and stops cleanly on SIGTERM", async () => {
    const schema = schemaName("cli");
    schemas.add("pgboss"); // the command line uses pg-boss's default schema and queue
    await sql(`create schema "${schema}"`);
    const database = `${url}${url!.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const caFile = join(dir, "ca.pem");
    writeFileSync(caFile, service.ca);
    const common = [
      "--postgres",
      database,
      "--dir",
      dir,
      "--subject",
      "mailto:ops@example.com",
      "--ca",
      caFile,
      "--allow-host",
      "127.0.0.1",
    ];

    const worker: ChildProcess = spawn(
      process.execPath,
      [bin, "worker", ...common, "--polling-interval", "0.5", "--name", "cli-worker"],
      { cwd: dir, env: { PATH: process.env.PATH }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let workerErr = "";
    const exited = once(worker, "exit");
    await new Promise<void>((resolve, reject) => {
      worker.stderr!.setEncoding("utf8").on("data", (text: string) => {
        workerErr += text;
        if (workerErr.includes("waiting for batches")) resolve();
      });
      worker.once("exit", (code) => reject(new Error(`swp worker exited (${code}): ${workerErr}`)));
    });

    // The worker created the key pair on first use; the app uses the same files.
    const app = new Pusher({ keyPath: join(dir, "private_key.pem"), postgres: database });
    const applicationServerKey = await app.getPublicKey();
    for (let n = 0; n < 12; n++) {
      await app.newSubscription(`s${n}`, await service.subscribe({ applicationServerKey }));
    }
    await app.close();
    const first = service.messages.length;

    const run = await spawnNode(
      [
        bin,
        "notify-all",
        ...common,
        "--distributed",
        "--batch-size",
        "5",
        "--json",
        "Hello workers",
      ],
      { cwd: dir },
    );
    expect(run.stderr).toMatch(/^swp notify-all: broadcast [0-9a-f-]{36} queued\n$/);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ total: 12, sent: 12, gone: 0, failed: 0 });
    expect(service.messages.slice(first).map((m) => m.text)).toEqual(
      Array.from({ length: 12 }, () => "Hello workers"),
    );
    expect(workerErr).toMatch(/batch 0 recorded: 5 sent, 0 gone, 0 failed/);
    expect(workerErr).toMatch(/batch 2 recorded: 2 sent, 0 gone, 0 failed/);

    worker.kill("SIGTERM");
    const [code] = await exited;
    expect(workerErr).toContain("SIGTERM: finishing the batches under way");
    expect(code).toBe(0);
  });

  it("notify-all --distributed without --postgres is a configuration error (exit 78)", async () => {
    const run = await spawnNode([bin, "notify-all", "--distributed", "--dir", dir, "hi"], {
      cwd: dir,
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain(
      "swp notify-all: this needs PostgreSQL: pass --postgres postgres://user:password@host/db or set SWP_POSTGRES_URL",
    );
  });
});
