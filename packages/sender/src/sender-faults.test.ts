// The HTTP/2 faults of issue 15, on real sockets against the fake push service: connections
// dropped mid-batch, streams reset with NO_ERROR, CANCEL and REFUSED_STREAM, a service that
// allows one stream and never answers it, stalled origins next to a healthy one, and a 429
// that slows only its own origin. Each asserts delivered counts, attempts and reasons.
import { type FakePushService, startFakePushService } from "@swp/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PushResult } from "./push-result.ts";
import type { SendItem } from "./send-all.ts";
import { createSender, type SenderOptions } from "./sender.ts";
import { testVapid } from "./test-support/fixtures.ts";
import { InstantClock, ManualClock } from "./test-support/manual-clock.ts";

// Real sockets on a shared machine: allow for a slow scheduler.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

const { vapid } = await testVapid();

function senderFor(service: FakePushService, over: Partial<SenderOptions> = {}) {
  return createSender({
    vapid,
    ca: service.ca,
    allowHosts: ["127.0.0.1"],
    workers: 0,
    ...over,
  });
}

describe("HTTP/2 connection lost mid-batch", () => {
  let service: FakePushService;
  beforeAll(async () => {
    service = await startFakePushService();
  });
  afterAll(() => service.close());

  it("300 sends, connection destroyed after stream 150: every failure has a reason", async () => {
    const sender = senderFor(service, { clock: new InstantClock() });
    const subscription = await service.subscribe();
    await sender.send(subscription, "warm-up"); // one session, already open
    service.destroyConnectionAfter(150);
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => sender.send(subscription, `a${i}`, { retries: 0 })),
    );
    const failed = results.filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      expect(r).toMatchObject({ statusCode: 0, attempts: 1 });
      expect(r.reason).toMatch(/^connection-lost: /);
    }
    expect(results.filter((r) => r.ok).length + failed.length).toBe(300);
    await sender.close();
  });

  it("300 sends, connection destroyed after stream 150: 300 delivered with retries", async () => {
    const clock = new InstantClock();
    const sender = senderFor(service, { clock });
    const subscription = await service.subscribe();
    await sender.send(subscription, "warm-up");
    const before = service.messages.length;
    service.destroyConnectionAfter(150);
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => sender.send(subscription, `b${i}`)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(300);
    const retried = results.filter((r) => r.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    expect(clock.sleeps.length).toBe(retried.reduce((n, r) => n + r.attempts - 1, 0));
    // Each message reached the service exactly once.
    const texts = service.messages.slice(before).map((m) => m.text);
    expect(texts.filter((t) => t.startsWith("b")).sort()).toEqual(
      Array.from({ length: 300 }, (_, i) => `b${i}`).sort(),
    );
    await sender.close();
  });
});

describe("HTTP/2 stream resets", () => {
  let service: FakePushService;
  beforeAll(async () => {
    service = await startFakePushService();
  });
  afterAll(() => service.close());

  it.each([0, 8])("RST_STREAM %i before the answer: a stream-reset, retried", async (code) => {
    const clock = new InstantClock();
    const sender = senderFor(service, { clock });
    const subscription = await service.subscribe();
    service.script(subscription, { rstStream: code });
    const once = await sender.send(subscription, "x", { retries: 0 });
    expect(once).toMatchObject({ ok: false, statusCode: 0, attempts: 1 });
    expect(once.reason).toMatch(new RegExp(`^stream-reset: .*code ${code}`));

    service.script(subscription, { rstStream: code });
    expect(await sender.send(subscription, "after reset")).toMatchObject({
      ok: true,
      statusCode: 201,
      attempts: 2,
    });
    expect(clock.sleeps).toHaveLength(1); // the backoff of one ordinary retry
    expect((await service.nextMessage()).text).toBe("after reset");
    await sender.close();
  });

  it("REFUSED_STREAM (7): resent at once on a new stream, within the same attempt", async () => {
    const clock = new InstantClock();
    const sender = senderFor(service, { clock });
    const subscription = await service.subscribe();
    service.script(subscription, { rstStream: 7 }, { rstStream: 7 });
    const result = await sender.send(subscription, "refused twice", { retries: 0 });
    expect(result).toMatchObject({ ok: true, statusCode: 201, attempts: 1 });
    expect(clock.sleeps).toEqual([]); // no backoff: the service said it did not process it
    expect((await service.nextMessage()).text).toBe("refused twice");

    // Refused on every stream the attempt may use: a refused-stream failure, retried later.
    service.script(subscription, { rstStream: 7 }, { rstStream: 7 }, { rstStream: 7 });
    const refused = await sender.send(subscription, "x", { retries: 0 });
    expect(refused).toMatchObject({ ok: false, statusCode: 0, attempts: 1 });
    expect(refused.reason).toMatch(/^refused-stream: /);
    await sender.close();
  });
});

describe("every wait counts against the message's timeout", () => {
  it("max concurrent streams 1, the one stream stalled: the waiting send ends at its timeout", async () => {
    const service = await startFakePushService({ maxConcurrentStreams: 1 });
    const sender = senderFor(service);
    const stalled = await service.subscribe();
    const waiting = await service.subscribe();
    // Open the session first, so its SETTINGS (one stream) are known.
    expect(await sender.send(waiting, "warm-up")).toMatchObject({ ok: true });
    let arrived!: () => void;
    const holding = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    service.script(stalled, () => {
      arrived();
      return "stall";
    });
    // The stalled one outlives the waiting one, so the slot stays taken the whole time.
    const first = sender.send(stalled, "x", { timeout: 3000 });
    await holding;
    const started = performance.now();
    const second = await sender.send(waiting, "y", { timeout: 1000 });
    const elapsed = performance.now() - started;
    expect(second).toMatchObject({ ok: false, statusCode: 0 });
    expect(second.reason).toMatch(/^timeout: .*1000 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(900); // it did wait for the slot…
    expect(elapsed).toBeLessThan(3000); // …but not past its timeout (61 s before the fix)
    const firstResult = await first;
    expect(firstResult).toMatchObject({ ok: false, statusCode: 0, attempts: 1 });
    expect(firstResult.reason).toMatch(/^timeout: /);
    await sender.close();
    await service.close();
  });
});

describe("fairness: stalled origins hold only their own share", () => {
  let stalled: FakePushService[];
  let healthy: FakePushService;
  beforeAll(async () => {
    stalled = await Promise.all([0, 1, 2].map(() => startFakePushService()));
    healthy = await startFakePushService();
    for (const s of stalled) s.script("*", ...Array.from({ length: 200 }, () => "stall" as const));
  });
  afterAll(async () => {
    await Promise.all([...stalled, healthy].map((s) => s.close()));
  });

  it("three stalled origins (40 sends each) vs a healthy one: the healthy one finishes fast", async () => {
    // Defaults: concurrency 64, 32 per origin. Before the fix the stalled origins held
    // every global slot and the healthy sends waited for the stalled ones' timeout. The
    // timeout leaves the healthy sends far more time than they need even on a loaded CI
    // machine (they take ~100 ms idle), so "no stalled send ended yet" cannot flake.
    const sender = createSender({
      vapid,
      ca: healthy.ca,
      allowHosts: ["127.0.0.1"],
      workers: 0,
      timeout: 10_000,
    });
    const stalledSubs = await Promise.all(stalled.map((s) => s.subscribe()));
    const healthySub = await healthy.subscribe();
    const stalledResults = stalledSubs.flatMap((sub) =>
      Array.from({ length: 40 }, () => sender.send(sub, "never answered")),
    );
    let stalledDone = 0;
    for (const p of stalledResults) void p.then(() => stalledDone++);
    // Let the stalled requests reach their services first.
    while (stalled.reduce((n, s) => n + s.requestCount, 0) < 96) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const started = performance.now();
    const healthyResults = await Promise.all(
      Array.from({ length: 100 }, (_, i) => sender.send(healthySub, `h${i}`)),
    );
    const elapsed = performance.now() - started;
    expect(healthyResults.every((r) => r.ok && r.attempts === 1)).toBe(true);
    expect(elapsed).toBeLessThan(3000); // generous on a loaded machine: ~100 ms when idle
    expect(stalledDone).toBe(0); // still waiting: the healthy origin did not wait for them
    // Each stalled origin held at most its 32: the rest waited for its permit.
    for (const s of stalled) expect(s.requestCount).toBeLessThanOrEqual(32);
    const ends = await Promise.all(stalledResults);
    for (const r of ends) {
      expect(r).toMatchObject({ ok: false, statusCode: 0 });
      expect(r.reason).toMatch(/^timeout: /);
    }
    await sender.close();
  });

  it("the same in one sendAll: healthy items are not held behind stalled ones", async () => {
    const sender = createSender({
      vapid,
      ca: healthy.ca,
      allowHosts: ["127.0.0.1"],
      workers: 0,
      timeout: 4000,
    });
    const stalledSubs = await Promise.all(stalled.map((s) => s.subscribe()));
    const healthySub = await healthy.subscribe();
    const items: SendItem[] = [];
    for (let i = 0; i < 160; i++) {
      // Three stalled items for every healthy one, stalled first.
      const sub = i % 4 === 3 ? healthySub : stalledSubs[i % 4]!;
      items.push({ subscription: sub, payload: `i${i}`, id: i });
    }
    const started = performance.now();
    let healthyDoneAt = 0;
    let healthyCount = 0;
    const results: PushResult[] = [];
    for await (const r of sender.sendAll(items)) {
      results.push(r);
      if (r.ok && ++healthyCount === 40) healthyDoneAt = performance.now() - started;
    }
    expect(results).toHaveLength(160);
    expect(healthyCount).toBe(40);
    expect(healthyDoneAt).toBeLessThan(3000);
    const failed = results.filter((r) => !r.ok);
    expect(failed).toHaveLength(120);
    for (const r of failed) expect(r.reason).toMatch(/^timeout: /);
    await sender.close();
  });
});

describe("a 429 slows only its own origin", () => {
  let throttled: FakePushService;
  let other: FakePushService;
  beforeAll(async () => {
    throttled = await startFakePushService();
    other = await startFakePushService();
  });
  afterAll(async () => {
    await Promise.all([throttled.close(), other.close()]);
  });

  it("for every caller: later sends to it wait for Retry-After, other origins flow", async () => {
    const clock = new ManualClock(Date.now());
    const sender = createSender({
      vapid,
      ca: other.ca,
      allowHosts: ["127.0.0.1"],
      workers: 0,
      clock,
    });
    const a = await throttled.subscribe();
    const b = await other.subscribe();
    throttled.script(a, { status: 429, retryAfter: 5 });
    const before = throttled.requestCount;
    const first = sender.send(a, "first");
    while (clock.sleeps.length === 0) await new Promise((r) => setImmediate(r));
    expect(clock.sleeps).toEqual([5000]); // the first message's own Retry-After wait
    // Another caller's message to the throttled origin waits for the pause; another
    // origin's does not.
    const second = sender.send(a, "second");
    expect(await sender.send(b, "elsewhere")).toMatchObject({ ok: true, attempts: 1 });
    while (clock.sleeps.length < 2) await new Promise((r) => setImmediate(r));
    expect(clock.sleeps[1]).toBeGreaterThan(4900);
    expect(throttled.requestCount - before).toBe(1);
    clock.advance(5000);
    expect(await first).toMatchObject({ ok: true, attempts: 2 });
    expect(await second).toMatchObject({ ok: true, attempts: 1 });
    expect(throttled.requestCount - before).toBe(3);
    await sender.close();
  });

  it("in sendAll: the throttled origin's items wait in its lane while the other's go out", async () => {
    const clock = new ManualClock(Date.now());
    const sender = createSender({
      vapid,
      ca: other.ca,
      allowHosts: ["127.0.0.1"],
      workers: 0,
      clock,
    });
    const a = await throttled.subscribe();
    const b = await other.subscribe();
    let throttle = true;
    throttled.script(
      a,
      ...Array.from(
        { length: 100 },
        () => () => (throttle ? { status: 429, retryAfter: 10 } : ("accept" as const)),
      ),
    );
    const items: SendItem[] = Array.from({ length: 100 }, (_, i) => ({
      subscription: i % 2 === 0 ? a : b,
      payload: `p${i}`,
      id: i,
    }));
    const before = throttled.requestCount;
    const results: PushResult[] = [];
    const reading = (async () => {
      for await (const r of sender.sendAll(items, { concurrency: 8 })) results.push(r);
    })();
    // With a window of 8, all 50 of the other origin's items get through while the
    // throttled origin's wait for its Retry-After (before lanes, they filled the window and
    // the whole batch waited).
    while (results.length < 50) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 50));
    expect(results).toHaveLength(50);
    expect(results.every((r) => r.ok && (r.id as number) % 2 === 1)).toBe(true);
    const throttledAttempts = throttled.requestCount - before;
    expect(throttledAttempts).toBeGreaterThanOrEqual(1);
    // Only those started before the first 429 came back, at most the lane's 32.
    expect(throttledAttempts).toBeLessThanOrEqual(32);
    throttle = false;
    clock.advance(10_000);
    await reading;
    expect(results).toHaveLength(100);
    expect(results.every((r) => r.ok)).toBe(true);
    const late = results.slice(50);
    expect(late.every((r) => (r.id as number) % 2 === 0)).toBe(true);
    expect(late.filter((r) => r.attempts === 2)).toHaveLength(throttledAttempts);
    await sender.close();
  });
});
