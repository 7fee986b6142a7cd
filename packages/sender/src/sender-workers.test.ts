import { base64urlEncode } from "@swp/ece";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EncryptPool } from "./lib/encrypt-pool.ts";
import type { PushResult } from "./push-result.ts";
import type { SendItem } from "./send-all.ts";
import { createSender } from "./sender.ts";
import { builtWorkerUrl } from "./test-support/built-worker.ts";
import { testReceiver, testVapid } from "./test-support/fixtures.ts";
import type { Transport, TransportRequest, TransportResponse } from "./transport.ts";

// Real sockets and worker threads on a shared machine: allow for a slow scheduler.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

const { vapid, keys } = await testVapid();

function workerPool(size = 2): EncryptPool {
  return new EncryptPool({ size, workerUrl: builtWorkerUrl() });
}

/** Answers by the last path segment i: 410 for i % 7 === 3, 500 for i % 11 === 5, else 201. */
function stubTransport(): Transport & { requests: number } {
  const stub = {
    requests: 0,
    async request(req: TransportRequest): Promise<TransportResponse> {
      stub.requests++;
      const i = Number(req.path.split("/").pop());
      if (!(req.body instanceof Uint8Array) || req.body.length < 86 + 17) {
        throw new Error(`item ${i}: no encrypted body`);
      }
      await Promise.resolve();
      const statusCode = i % 7 === 3 ? 410 : i % 11 === 5 ? 500 : 201;
      return { statusCode, headers: {}, body: new Uint8Array() };
    },
  };
  return stub;
}

/** A p256dh of the right shape that is not on the curve: only the encryption can tell. */
function offCurve(p256dh: string): string {
  const bytes = Buffer.from(p256dh, "base64url");
  bytes[40] = bytes[40]! ^ 0x10;
  return base64urlEncode(new Uint8Array(bytes));
}

describe("sendAll on encryption workers", () => {
  let service: FakePushService;
  beforeAll(async () => {
    service = await startFakePushService({ http2: true });
  });
  afterAll(() => service.close());

  it("delivers bodies made on the workers that the fake push service decrypts", async () => {
    const pool = workerPool();
    const sender = createSender({
      vapid,
      ca: service.ca,
      allowHosts: ["127.0.0.1"],
      encryptPool: pool,
    });
    const subscriptions = await Promise.all(
      Array.from({ length: 10 }, () => service.subscribe({ applicationServerKey: keys.publicKey })),
    );
    const before = service.messages.length;
    const items = Array.from({ length: 300 }, (_, i) => ({
      subscription: subscriptions[i % 10]!,
      payload: `worker message ${i}`,
      // Some legacy aesgcm and padded messages too.
      options: i % 10 === 0 ? { encoding: "aesgcm" as const } : i % 10 === 1 ? { padding: 33 } : {},
      id: i,
    }));
    const run = sender.sendAll(items);
    const ids: unknown[] = [];
    for await (const r of run) {
      expect(r).toMatchObject({ ok: true, statusCode: 201 });
      ids.push(r.id);
    }
    expect(pool.started).toBe(true);
    expect(new Set(ids).size).toBe(300);
    // The fake service verified VAPID and decrypted every body.
    const texts = new Set(service.messages.slice(before).map((m) => m.text));
    expect(texts).toEqual(new Set(items.map((i) => i.payload)));
    await sender.close();
  });

  it("leaves the workers alone for single sends and batches below the threshold", async () => {
    const pool = workerPool();
    const sender = createSender({
      vapid,
      ca: service.ca,
      allowHosts: ["127.0.0.1"],
      encryptPool: pool,
    });
    const subscription = await service.subscribe();
    expect(await sender.send(subscription, "one")).toMatchObject({ ok: true });
    const array = Array.from({ length: 255 }, () => ({ subscription, payload: "array" }));
    expect((await sender.sendAll(array).summary).sent).toBe(255);
    async function* unknownLength(): AsyncGenerator<SendItem> {
      for (let i = 0; i < 255; i++) yield { subscription, payload: "generator" };
    }
    expect((await sender.sendAll(unknownLength()).summary).sent).toBe(255);
    expect(pool.started).toBe(false);
    // Once an iterable of unknown length has yielded 256 items, the next go to the workers.
    async function* longer(): AsyncGenerator<SendItem> {
      for (let i = 0; i < 257; i++) yield { subscription, payload: "generator" };
    }
    expect((await sender.sendAll(longer()).summary).sent).toBe(257);
    expect(pool.started).toBe(true);
    await sender.close();
  });

  it("never starts workers with workers: 0", async () => {
    const sender = createSender({
      vapid,
      ca: service.ca,
      allowHosts: ["127.0.0.1"],
      workers: 0,
    });
    const subscription = await service.subscribe();
    const items = Array.from({ length: 300 }, () => ({ subscription, payload: "inline" }));
    expect((await sender.sendAll(items).summary).sent).toBe(300);
    await sender.close();
    expect(() => createSender({ vapid, workers: -1 })).toThrow(/workers must be a whole number/);
    expect(() => createSender({ vapid, workerThreshold: 1.5 })).toThrow(/workerThreshold/);
  });
});

describe("sendAll on encryption workers, at scale", () => {
  it("yields one result per item for 5,000 items with scripted failures, within its window", async () => {
    const n = 5000;
    const pool = workerPool();
    const transport = stubTransport();
    const sender = createSender({
      vapid,
      transport,
      retries: 0,
      concurrency: 32,
      encryptPool: pool,
    });
    const receivers = Array.from({ length: 10 }, () => testReceiver());
    const window = 32 + pool.capacity;
    let pulled = 0;
    let yielded = 0;
    let maxHeld = 0;
    async function* items(): AsyncGenerator<SendItem> {
      for (let i = 0; i < n; i++) {
        pulled++;
        maxHeld = Math.max(maxHeld, pulled - yielded);
        const { subscription } = receivers[i % 10]!;
        const endpoint = `https://push.example.net/push/${i}`;
        // i % 500 === 250: p256dh off the curve (found by the worker's encryption);
        // i % 500 === 499: no keys at all (found on the main thread).
        yield i % 500 === 250
          ? {
              subscription: {
                endpoint,
                keys: { ...subscription.keys, p256dh: offCurve(subscription.keys.p256dh) },
              },
              payload: "x",
              id: i,
            }
          : i % 500 === 499
            ? { subscription: { endpoint }, payload: "x", id: i }
            : { subscription: { ...subscription, endpoint }, payload: "broadcast", id: i };
      }
    }
    const run = sender.sendAll(items());
    const results = new Map<unknown, PushResult>();
    for await (const result of run) {
      yielded++;
      expect(results.has(result.id)).toBe(false);
      results.set(result.id, result);
    }
    expect(results.size).toBe(n);
    expect(pool.started).toBe(true);
    // Memory is bounded by construction: never more items held than the window.
    expect(maxHeld).toBeLessThanOrEqual(window + 1);
    expect(maxHeld).toBeGreaterThan(32); // the window did widen for the workers
    let expectedFailed = 0;
    let expectedGone = 0;
    for (let i = 0; i < n; i++) {
      const r = results.get(i)!;
      if (i % 500 === 250 || i % 500 === 499) {
        expectedFailed++;
        expect(r).toMatchObject({ ok: false, statusCode: 0, attempts: 0 });
        expect(r.error?.name).toBe("SubscriptionError");
        expect((r.error as { code?: string }).code).toBe(
          i % 500 === 250 ? "ERR_SUBSCRIPTION_INVALID_P256DH" : "ERR_SUBSCRIPTION_MISSING_FIELD",
        );
      } else if (i % 7 === 3) {
        expectedGone++;
        expect(r).toMatchObject({ ok: false, gone: true, statusCode: 410 });
      } else if (i % 11 === 5) {
        expectedFailed++;
        expect(r).toMatchObject({ ok: false, statusCode: 500 });
      } else {
        expect(r).toMatchObject({ ok: true, statusCode: 201 });
      }
    }
    expect(await run.summary).toEqual({
      total: n,
      sent: n - expectedFailed - expectedGone,
      gone: expectedGone,
      failed: expectedFailed,
    });
    await sender.close();
  });

  it("still yields one result per item when a worker is killed mid-batch", async () => {
    const n = 3000;
    const pool = workerPool();
    const transport = stubTransport();
    const sender = createSender({ vapid, transport, retries: 0, encryptPool: pool });
    const { subscription } = testReceiver();
    const items = Array.from({ length: n }, (_, i) => ({
      subscription: { ...subscription, endpoint: `https://push.example.net/push/${i * 77}` },
      payload: `m${i}`,
      id: i,
    }));
    const seen = new Set<unknown>();
    let killed: Promise<boolean> | undefined;
    for await (const r of sender.sendAll(items)) {
      expect(seen.has(r.id)).toBe(false);
      seen.add(r.id);
      // i * 77 is a multiple of 7 and 11: the stub answers 201 to every item.
      expect(r).toMatchObject({ ok: true, statusCode: 201 });
      if (seen.size === 100) killed = pool.killWorkerForTest();
    }
    expect(await killed).toBe(true);
    expect(seen.size).toBe(n);
    expect(transport.requests).toBe(n);
    await sender.close();
  });

  it("keeps the workers fed with more than one origin's share (perf: the lane holds what they encrypt)", async () => {
    const n = 1000;
    const pool = workerPool(1);
    // Requests of the one origin are bounded by its share (4); the encryption must not be,
    // or the workers get batches of 4 and starve.
    let sending = 0;
    let maxSending = 0;
    const transport: Transport = {
      async request(): Promise<TransportResponse> {
        sending++;
        maxSending = Math.max(maxSending, sending);
        await new Promise((resolve) => setImmediate(resolve));
        sending--;
        return { statusCode: 201, headers: {}, body: new Uint8Array() };
      },
    };
    let encrypting = 0;
    let maxEncrypting = 0;
    const encrypt = pool.encrypt.bind(pool);
    pool.encrypt = (job, signal) => {
      encrypting++;
      maxEncrypting = Math.max(maxEncrypting, encrypting);
      const p = encrypt(job, signal);
      const done = () => {
        encrypting--;
      };
      p.then(done, done);
      return p;
    };
    const sender = createSender({
      vapid,
      transport,
      retries: 0,
      perOriginConcurrency: 4,
      encryptPool: pool,
    });
    const { subscription } = testReceiver();
    const items = Array.from({ length: n }, (_, i) => ({
      subscription: { ...subscription, endpoint: `https://push.example.net/push/${i}` },
      payload: "m",
    }));
    const summary = await sender.sendAll(items).summary;
    expect(summary).toEqual({ total: n, sent: n, gone: 0, failed: 0 });
    expect(maxSending).toBeLessThanOrEqual(4);
    // At least a full batch in the pool at once (before the fix: at most 4).
    expect(maxEncrypting).toBeGreaterThanOrEqual(pool.batchSize);
    await sender.close();
  });
});
