// A 429 slows only its own origin: with one sendAll lane per origin, messages to a healthy
// push service go out while a throttled one's messages wait for their Retry-After. The
// sender's waits run on an injected clock that the test releases by hand (no real sleeps).
import { createSender, type PushResult, type SendItem } from "@swp/sender";
import { type FakePushService, startFakePushService } from "@swp/sender/testing";
import { createVapid, generateVapidKeys } from "@swp/vapid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendByOrigin } from "./send-by-origin.ts";

/** A clock whose `sleep` (retry waits) only ends when the test says so. */
function gatedClock() {
  let waiting: Array<() => void> = [];
  return {
    clock: {
      now: () => Date.now(),
      random: () => 0,
      timeout(ms: number, onTimeout: () => void) {
        const timer = setTimeout(onTimeout, ms);
        return () => clearTimeout(timer);
      },
      sleep(_ms: number, signal?: AbortSignal) {
        return new Promise<void>((resolve, reject) => {
          signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
          waiting.push(resolve);
        });
      },
    },
    get sleepers() {
      return waiting.length;
    },
    release() {
      const now = waiting;
      waiting = [];
      for (const resolve of now) resolve();
    },
  };
}

/** Resolves once `condition()` holds, checking after each turn of the event loop. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const limit = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > limit) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

let throttled: FakePushService;
let healthy: FakePushService;
let vapid: ReturnType<typeof createVapid>;

beforeAll(async () => {
  [throttled, healthy] = await Promise.all([startFakePushService(), startFakePushService()]);
  const keys = await generateVapidKeys();
  vapid = createVapid({ keys, subject: "mailto:ops@example.com" });
});
afterAll(() => Promise.all([throttled.close(), healthy.close()]));

async function scenario(): Promise<{ items: SendItem[]; throttledEndpoints: Set<string> }> {
  const items: SendItem[] = [];
  const throttledEndpoints = new Set<string>();
  for (let n = 0; n < 8; n++) {
    const subscription = await throttled.subscribe({ applicationServerKey: vapid.publicKey });
    throttled.script(subscription, { status: 429, retryAfter: 30 });
    throttledEndpoints.add(subscription.endpoint);
    items.push({ subscription, payload: `t${n}` });
  }
  for (let n = 0; n < 8; n++) {
    const subscription = await healthy.subscribe({ applicationServerKey: vapid.publicKey });
    items.push({ subscription, payload: `h${n}` });
  }
  return { items, throttledEndpoints };
}

describe("sendByOrigin", () => {
  it("a throttled origin waits in its own lane: the other origin is served meanwhile", async () => {
    const gate = gatedClock();
    const sender = createSender({
      vapid,
      ca: throttled.ca,
      allowHosts: ["127.0.0.1"],
      clock: gate.clock,
    } as Parameters<typeof createSender>[0]);
    const { items, throttledEndpoints } = await scenario();
    const results: PushResult[] = [];
    const run = sendByOrigin(sender, items, { concurrency: 4 }, (r) => results.push(r));

    // Every healthy message is answered while all throttled ones wait for Retry-After.
    await until(() => results.length === 8, "the healthy origin's 8 results");
    expect(results.every((r) => r.ok && !throttledEndpoints.has(r.endpoint))).toBe(true);
    await until(() => gate.sleepers === 4, "the throttled lane's window (4) to wait");
    while (results.length < 16) {
      gate.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await run;
    const late = results.slice(8);
    expect(late.every((r) => r.ok && r.attempts === 2 && throttledEndpoints.has(r.endpoint))).toBe(
      true,
    );
    await sender.close();
  });

  it("for contrast, one sendAll over both origins: throttled items hold the window and the healthy origin starves", async () => {
    const gate = gatedClock();
    const sender = createSender({
      vapid,
      ca: throttled.ca,
      allowHosts: ["127.0.0.1"],
      clock: gate.clock,
    } as Parameters<typeof createSender>[0]);
    const { items } = await scenario();
    const healthyBefore = healthy.requestCount;
    const results: PushResult[] = [];
    const run = (async () => {
      for await (const r of sender.sendAll(items, { concurrency: 4 })) results.push(r);
    })();
    await until(() => gate.sleepers === 4, "4 throttled items to wait");
    expect(results).toEqual([]);
    expect(healthy.requestCount).toBe(healthyBefore);
    while (results.length < 16) {
      gate.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await run;
    expect(results.every((r) => r.ok)).toBe(true);
    await sender.close();
  });
});
