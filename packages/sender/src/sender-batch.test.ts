import { type FakePushService, startFakePushService } from "@swp/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Clock } from "./lib/clock.ts";
import type { PushResult } from "./push-result.ts";
import type { SendItem } from "./send-all.ts";
import { createSender } from "./sender.ts";
import { testReceiver, testVapid } from "./test-support/fixtures.ts";
import { InstantClock } from "./test-support/manual-clock.ts";
import type { Transport, TransportRequest, TransportResponse } from "./transport.ts";

// Real sockets on a shared machine: allow for a slow scheduler.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const { vapid } = await testVapid();

/**
 * Real time and real timers (a message's timeout is a real deadline), but sleeps end at
 * once: the backoff between attempts costs nothing.
 */
class NoSleepClock implements Clock {
  now = () => Date.now();
  random = () => 0.5;
  sleep(_ms: number, signal?: AbortSignal): Promise<void> {
    return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  }
  timeout(ms: number, onTimeout: () => void): () => void {
    const timer = setTimeout(onTimeout, ms);
    return () => clearTimeout(timer);
  }
}

/** The timeout of the items that stall: short, so the 2,000 stalls end quickly. */
const STALL_TIMEOUT = 30;

type Behaviour = (attempt: number) => number | "stall" | "reset";
/** What the stub push service does with item i, by i mod 10, per attempt. */
const BEHAVIOURS: Behaviour[] = [
  () => 201,
  () => 410,
  (a) => (a === 1 ? 500 : 201),
  (a) => (a === 1 ? 429 : 201),
  (a) => (a === 1 ? "stall" : 201),
  (a) => (a === 1 ? "reset" : 201),
  () => 404,
  () => "stall",
  () => 400,
  () => 201,
];

function stubTransport(): Transport & {
  attempts: Map<string, number>;
  inFlight: number;
  maxInFlight: number;
} {
  const attempts = new Map<string, number>();
  const stub = {
    attempts,
    inFlight: 0,
    maxInFlight: 0,
    async request(req: TransportRequest): Promise<TransportResponse> {
      const i = Number(req.path.split("/").pop());
      const attempt = (attempts.get(req.path) ?? 0) + 1;
      attempts.set(req.path, attempt);
      stub.inFlight++;
      stub.maxInFlight = Math.max(stub.maxInFlight, stub.inFlight);
      try {
        const behaviour = BEHAVIOURS[i % 10]!(attempt);
        if (behaviour === "stall") {
          await new Promise<never>((_, reject) => {
            const signal = req.signal!;
            if (signal.aborted) reject(signal.reason);
            signal.addEventListener("abort", () => reject(signal.reason), { once: true });
          });
        }
        await Promise.resolve();
        if (behaviour === "reset")
          throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
        // No Retry-After: a 429 with one pauses the whole origin (tested in sender-faults).
        return { statusCode: behaviour as number, headers: {}, body: new Uint8Array() };
      } finally {
        stub.inFlight--;
      }
    },
  };
  return stub;
}

describe("sendAll at scale", () => {
  it("yields exactly one result for each of 10,000 items through failures, timeouts and resets", async () => {
    // A stalled attempt uses up its message's timeout: those items end with it, attempts ≤ 1
    // (0 when the deadline passed while it waited in its origin's lane).
    const n = 10_000;
    const receivers = Array.from({ length: 10 }, () => testReceiver());
    const transport = stubTransport();
    const sender = createSender({
      vapid,
      transport,
      clock: new NoSleepClock(),
      retries: 1,
      concurrency: 64,
      // The window asserted below is the inline one; encrypt-pool.test.ts covers workers.
      workers: 0,
    });
    let pulled = 0;
    let yielded = 0;
    let maxHeld = 0;
    async function* items(): AsyncGenerator<SendItem> {
      for (let i = 0; i < n; i++) {
        pulled++;
        maxHeld = Math.max(maxHeld, pulled - yielded);
        const { subscription } = receivers[i % 10]!;
        // Every 1000th item is broken: it must still get its one result.
        yield i % 1000 === 999
          ? {
              subscription: { endpoint: `https://push.example.net/push/${i}` },
              payload: "x",
              id: i,
            }
          : {
              subscription: { ...subscription, endpoint: `https://push.example.net/push/${i}` },
              payload: `m${i}`,
              id: i,
              ...(i % 10 === 4 || i % 10 === 7 ? { options: { timeout: STALL_TIMEOUT } } : {}),
            };
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
    expect(maxHeld).toBeLessThanOrEqual(65);
    expect(transport.maxInFlight).toBeLessThanOrEqual(32); // one origin: perOriginConcurrency

    const broken = (i: number) => i % 1000 === 999;
    for (let i = 0; i < n; i++) {
      const r = results.get(i)!;
      if (broken(i)) {
        expect(r).toMatchObject({ ok: false, statusCode: 0, attempts: 0 });
        expect(r.error?.name).toBe("SubscriptionError");
        continue;
      }
      switch (i % 10) {
        case 0:
        case 9:
          expect(r).toMatchObject({ ok: true, statusCode: 201, attempts: 1 });
          break;
        case 1:
        case 6:
          expect(r).toMatchObject({ ok: false, gone: true, attempts: 1 });
          break;
        case 2:
        case 3:
        case 5:
          expect(r).toMatchObject({ ok: true, statusCode: 201, attempts: 2 });
          break;
        case 4:
        case 7:
          expect(r).toMatchObject({ ok: false, statusCode: 0 });
          expect(r.attempts).toBeLessThanOrEqual(1);
          expect(r.reason).toMatch(/^timeout: /);
          break;
        case 8:
          expect(r).toMatchObject({ ok: false, statusCode: 400, attempts: 1 });
          break;
      }
    }
    const summary = await run.summary;
    const brokenCount = 10;
    expect(summary).toEqual({
      total: n,
      // Cases 0, 2, 3, 5 and 9 deliver; the broken items are all of case 9.
      sent: 5000 - brokenCount,
      gone: 2000,
      failed: 3000 + brokenCount,
    });
    await sender.close();
  }, 60_000);
});

describe.each([{ http2: true }, { http2: false }])(
  "sendAll over the network (http2: $http2)",
  ({ http2 }) => {
    let service: FakePushService;
    beforeAll(async () => {
      service = await startFakePushService({ http2 });
    });
    afterAll(() => service.close());

    it("delivers a batch with scripted failures, one result per item", async () => {
      const clock = new InstantClock();
      const sender = createSender({
        vapid,
        ca: service.ca,
        allowHosts: ["127.0.0.1"],
        clock,
        retries: 2,
      });
      const subscriptions = await Promise.all(
        Array.from({ length: 20 }, () => service.subscribe()),
      );
      service.script(subscriptions[0]!, 410);
      service.script(subscriptions[1]!, 500, 500);
      service.script(subscriptions[2]!, "reset");
      service.script(subscriptions[3]!, { status: 429, retryAfter: 0 });
      service.script(subscriptions[4]!, 404);
      const items = Array.from({ length: 200 }, (_, i) => ({
        subscription: subscriptions[i % 20]!,
        payload: `n${i}`,
        id: i,
      }));
      const run = sender.sendAll(items, { ttl: 30 });
      const ids: unknown[] = [];
      for await (const r of run) ids.push(r.id);
      expect(ids.sort((a, b) => (a as number) - (b as number))).toEqual(items.map((i) => i.id));
      expect(await run.summary).toEqual({ total: 200, sent: 198, gone: 2, failed: 0 });
      const texts = new Set(service.messages.map((m) => m.text));
      expect(texts.size).toBe(198);
      await sender.close();
    });

    it("aborts mid-batch: every unfinished item gets an aborted result", async () => {
      const sender = createSender({
        vapid,
        ca: service.ca,
        allowHosts: ["127.0.0.1"],
        concurrency: 8,
      });
      const subscription = await service.subscribe();
      const controller = new AbortController();
      service.script(subscription, "accept", "accept", "accept", () => {
        controller.abort();
        return "stall";
      });
      const run = sender.sendAll(
        Array.from({ length: 100 }, (_, i) => ({ subscription, payload: "x", id: i })),
        { signal: controller.signal },
      );
      const results: PushResult[] = [];
      for await (const r of run) results.push(r);
      expect(results.length).toBe(100);
      expect(new Set(results.map((r) => r.id)).size).toBe(100);
      const aborted = results.filter((r) => r.reason === "aborted");
      expect(aborted.length).toBeGreaterThanOrEqual(90);
      for (const r of aborted) expect(r).toMatchObject({ ok: false, statusCode: 0 });
      const summary = await run.summary;
      expect(summary.total).toBe(100);
      expect(summary.sent + summary.failed).toBe(100);
      await sender.close();
    });
  },
);
