import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, connect as netConnect } from "node:net";
import { SubscriptionError } from "@swp/subscription";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InvalidOptionError, PayloadTooLargeError, SenderClosedError } from "./errors.ts";
import { createSender, type Sender } from "./sender.ts";
import { testVapid } from "./test-support/fixtures.ts";
import { InstantClock, ManualClock } from "./test-support/manual-clock.ts";

// Real sockets on a shared machine: allow for a slow scheduler.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const { vapid, keys } = await testVapid();

describe.each([
  { http2: true, version: "2.0" },
  { http2: false, version: "1.1" },
])("sender over HTTP/$version", ({ http2, version }) => {
  let service: FakePushService;
  let sender: Sender;
  let clock: InstantClock;

  beforeAll(async () => {
    service = await startFakePushService({ http2 });
    clock = new InstantClock();
    sender = createSender({ vapid, ca: service.ca, allowHosts: ["127.0.0.1"], clock });
  });
  afterAll(async () => {
    await sender.close();
    await service.close();
  });

  it("delivers aes128gcm and aesgcm messages the service verifies and decrypts", async () => {
    const subscription = await service.subscribe({ applicationServerKey: keys.publicKey });
    const a = await sender.send(subscription, "hello", {
      urgency: "high",
      topic: "greeting",
      ttl: 60,
    });
    expect(a).toEqual({
      ok: true,
      statusCode: 201,
      endpoint: subscription.endpoint,
      gone: false,
      attempts: 1,
      service: "other",
    });
    const b = await sender.send(subscription, new TextEncoder().encode("legacy"), {
      encoding: "aesgcm",
    });
    expect(b.ok).toBe(true);
    const first = await service.nextMessage();
    const second = await service.nextMessage();
    expect(first.text).toBe("hello");
    expect(first.httpVersion).toBe(version);
    expect(first.headers).toMatchObject({ ttl: "60", urgency: "high", topic: "greeting" });
    expect(first.claims?.aud).toBe(service.origin);
    expect(first.claims?.sub).toBe("mailto:tests@example.com");
    expect(second.text).toBe("legacy");
    expect(second.headers["content-encoding"]).toBe("aesgcm");
  });

  it("is refused with 403 when the VAPID key is not the subscription's", async () => {
    const other = await service.subscribe({ applicationServerKey: new Uint8Array(65).fill(4) });
    const result = await sender.send(other, "x");
    expect(result).toMatchObject({ ok: false, statusCode: 403, gone: false, attempts: 1 });
    expect(result.reason).toMatch(/applicationServerKey/);
  });

  it.each([
    [404, true],
    [410, true],
    [413, false],
    [400, false],
    [401, false],
    [403, false],
  ])("reports %i without retrying (gone: %s)", async (status, gone) => {
    const subscription = await service.subscribe();
    service.script(subscription, { status, body: `{"reason":"scripted ${status}"}` });
    const before = service.requestCount;
    const result = await sender.send(subscription, "x");
    expect(result).toMatchObject({
      ok: false,
      statusCode: status,
      gone,
      attempts: 1,
      reason: `scripted ${status}`,
    });
    expect(service.requestCount - before).toBe(1);
  });

  it("reports an unsubscribed endpoint as gone", async () => {
    const subscription = await service.subscribe();
    service.unsubscribe(subscription);
    expect(await sender.send(subscription, "x")).toMatchObject({
      ok: false,
      statusCode: 410,
      gone: true,
    });
  });

  it("retries 500 and 503, then delivers", async () => {
    const subscription = await service.subscribe();
    service.script(subscription, 500, 503);
    const sleeps = clock.sleeps.length;
    const result = await sender.send(subscription, "after retries");
    expect(result).toMatchObject({ ok: true, statusCode: 201, attempts: 3 });
    expect(clock.sleeps.length - sleeps).toBe(2);
    expect((await service.nextMessage()).text).toBe("after retries");
  });

  it("gives up after the retries with the last answer", async () => {
    const subscription = await service.subscribe();
    service.script(subscription, 500, 502, 503, { status: 500, body: "still down" });
    const result = await sender.send(subscription, "x");
    expect(result).toMatchObject({
      ok: false,
      statusCode: 500,
      gone: false,
      attempts: 4,
      reason: "still down",
    });
    service.script(subscription, 500);
    expect(await sender.send(subscription, "x", { retries: 0 })).toMatchObject({
      statusCode: 500,
      attempts: 1,
    });
  });

  it("honours Retry-After on 429 (seconds and HTTP date, capped)", async () => {
    // A 429 pauses its origin for the sender (real time here): one sender per case.
    const fresh = () => {
      const c = new InstantClock();
      return {
        c,
        s: createSender({ vapid, ca: service.ca, allowHosts: ["127.0.0.1"], clock: c }),
      };
    };
    const subscription = await service.subscribe();
    const a = fresh();
    service.script(subscription, { status: 429, retryAfter: 7 });
    expect(await a.s.send(subscription, "x")).toMatchObject({ ok: true, attempts: 2 });
    expect(a.c.sleeps).toEqual([7000]);

    const b = fresh();
    const date = new Date(b.c.now() + 120_000).toUTCString();
    service.script(subscription, { status: 429, retryAfter: date });
    // A wait longer than the message's timeout is not waited: give it room.
    expect(await b.s.send(subscription, "x", { timeout: 200_000 })).toMatchObject({
      ok: true,
      attempts: 2,
    });
    expect(b.c.sleeps).toHaveLength(1);
    expect(b.c.sleeps[0]).toBeGreaterThan(115_000);
    expect(b.c.sleeps[0]).toBeLessThanOrEqual(121_000);

    const c = fresh();
    service.script(subscription, { status: 429, retryAfter: 999_999 });
    await c.s.send(subscription, "x", { timeout: 700_000 });
    expect(c.c.sleeps).toEqual([600_000]);

    const d = fresh();
    service.script(subscription, { status: 429, retryAfter: 30 });
    expect(await d.s.send(subscription, "x", { retries: 0 })).toMatchObject({
      ok: false,
      statusCode: 429,
      retryAfter: 30,
      attempts: 1,
    });
    await Promise.all([a.s.close(), b.s.close(), c.s.close(), d.s.close()]);
  });

  it("survives a reset connection: a network failure, retried", async () => {
    const subscription = await service.subscribe();
    service.script(subscription, "reset");
    const failed = await sender.send(subscription, "x", { retries: 0 });
    expect(failed).toMatchObject({ ok: false, statusCode: 0, attempts: 1, gone: false });
    expect(failed.reason).toBeTruthy();
    service.script(subscription, "reset");
    expect(await sender.send(subscription, "after reset")).toMatchObject({ ok: true, attempts: 2 });
    // The pool recovers for later messages too.
    expect(await sender.send(subscription, "again")).toMatchObject({ ok: true, attempts: 1 });
  });

  it("ends a stalled request at the message's timeout, with the attempt counted", async () => {
    const manual = new ManualClock();
    const timed = createSender({
      vapid,
      ca: service.ca,
      allowHosts: ["127.0.0.1"],
      clock: manual,
      timeout: 5000,
    });
    try {
      const subscription = await service.subscribe();
      let arrived!: () => void;
      const stalled = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      service.script(subscription, () => {
        arrived();
        return "stall";
      });
      // Retries left, but the timeout is the message's: a stall uses it up.
      const pending = timed.send(subscription, "x", { retries: 3 });
      await stalled;
      manual.advance(4999);
      await new Promise((r) => setImmediate(r));
      let done = false;
      void pending.then(() => {
        done = true;
      });
      await new Promise((r) => setImmediate(r));
      expect(done).toBe(false);
      manual.advance(1); // the deadline fires: the attempt is abandoned, no retry
      const result = await pending;
      expect(result).toMatchObject({ ok: false, statusCode: 0, attempts: 1 });
      expect(result.reason).toMatch(/^timeout: .*5000 ms/);
      // One deadline per message, armed once.
      expect(manual.timeouts).toEqual([5000]);
      expect(manual.sleeps).toEqual([]);
    } finally {
      await timed.close();
    }
  });

  it("does not wait out a backoff that would end past the message's timeout", async () => {
    const subscription = await service.subscribe();
    service.script(subscription, { status: 503, retryAfter: 60 });
    const n = clock.sleeps.length;
    const result = await sender.send(subscription, "x", { timeout: 10_000 });
    expect(result).toMatchObject({ ok: false, statusCode: 503, attempts: 1, retryAfter: 60 });
    expect(result.reason).toMatch(/no time left to retry within the message's 10000 ms/);
    expect(clock.sleeps.length).toBe(n);
  });

  it("aborts: before sending, and while waiting for an answer", async () => {
    const subscription = await service.subscribe();
    const pre = await sender.send(subscription, "x", { signal: AbortSignal.abort() });
    expect(pre).toMatchObject({ ok: false, statusCode: 0, attempts: 0, reason: "aborted" });

    const controller = new AbortController();
    service.script(subscription, () => {
      controller.abort();
      return "stall";
    });
    const during = await sender.send(subscription, "x", { signal: controller.signal });
    expect(during).toMatchObject({ ok: false, statusCode: 0, reason: "aborted" });
  });

  it("rejects only programmer errors, before any request", async () => {
    const subscription = await service.subscribe();
    const before = service.requestCount;
    await expect(sender.send({ endpoint: "nope" }, "x")).rejects.toBeInstanceOf(SubscriptionError);
    await expect(sender.send(subscription, new Uint8Array(5000))).rejects.toBeInstanceOf(
      PayloadTooLargeError,
    );
    await expect(sender.send(subscription, "x", { topic: "a".repeat(33) })).rejects.toBeInstanceOf(
      InvalidOptionError,
    );
    await expect(sender.send(subscription, "x", { headers: { TTL: "1" } })).rejects.toBeInstanceOf(
      InvalidOptionError,
    );
    expect(service.requestCount).toBe(before);
  });
});

describe("SSRF guard", () => {
  let service: FakePushService;
  beforeAll(async () => {
    service = await startFakePushService();
  });
  afterAll(() => service.close());

  it("refuses loopback endpoints unless allowed, with no request and no retry", async () => {
    const subscription = await service.subscribe();
    const sender = createSender({ vapid, ca: service.ca, clock: new InstantClock() });
    const before = service.requestCount;
    const result = await sender.send(subscription, "x");
    expect(result).toMatchObject({ ok: false, statusCode: 0, attempts: 0, gone: false });
    expect(result.reason).toMatch(/loopback.*allowHosts/);
    expect(service.requestCount).toBe(before);
    await sender.close();
  });

  it("judges the address a host name resolves to, at connect time", async () => {
    const subscription = await service.subscribe();
    const byName = {
      ...subscription,
      endpoint: subscription.endpoint.replace("127.0.0.1", "localhost"),
    };
    const refused = createSender({
      vapid,
      ca: service.ca,
      allowHosts: ["127.0.0.1"],
      clock: new InstantClock(),
    });
    const result = await refused.send(byName, "x");
    expect(result).toMatchObject({ ok: false, statusCode: 0 });
    expect(result.reason).toMatch(/localhost.*loopback/);
    await refused.close();

    const allowed = createSender({
      vapid,
      ca: service.ca,
      allowHosts: ["localhost"],
      clock: new InstantClock(),
    });
    const before = service.requestCount;
    // Allowed, it connects; the service then rightly refuses a token for another audience.
    const answered = await allowed.send(byName, "by name");
    expect(answered).toMatchObject({ ok: false, statusCode: 401 });
    expect(answered.reason).toMatch(/audience/);
    expect(service.requestCount).toBe(before + 1);
    await allowed.close();
  });

  it.each([
    "https://10.0.0.1/push/x",
    "https://169.254.169.254/latest/meta-data",
    "https://[::1]:443/push/x",
    "https://[::ffff:192.168.0.1]/push/x",
    "https://[fd00::1]/push/x",
  ])("refuses %s without connecting", async (endpoint) => {
    const subscription = { ...(await service.subscribe()), endpoint };
    const sender = createSender({ vapid, clock: new InstantClock() });
    const result = await sender.send(subscription, "x");
    expect(result).toMatchObject({ ok: false, statusCode: 0, attempts: 0 });
    expect(result.reason).toMatch(/SSRF/);
    await sender.close();
  });

  it("refuses http: endpoints unless allowHttp", async () => {
    const subscription = { ...(await service.subscribe()), endpoint: "http://127.0.0.1:9/push/x" };
    const sender = createSender({ vapid, allowHosts: ["127.0.0.1"], clock: new InstantClock() });
    await expect(sender.send(subscription, "x")).rejects.toBeInstanceOf(SubscriptionError);
    await sender.close();
    const lax = createSender({
      vapid,
      allowHosts: ["127.0.0.1"],
      allowHttp: true,
      clock: new InstantClock(),
    });
    const result = await lax.send(subscription, "x", { retries: 0 });
    expect(result).toMatchObject({ ok: false, statusCode: 0, attempts: 1 }); // nobody listens on port 9
    await lax.close();
  });
});

describe("sender lifecycle", () => {
  it("rejects sends after close and waits for those in flight", async () => {
    const service = await startFakePushService();
    const sender = createSender({ vapid, ca: service.ca, allowHosts: ["127.0.0.1"] });
    const subscription = await service.subscribe();
    const inFlight = sender.send(subscription, "last one");
    await sender.close();
    expect((await inFlight).ok).toBe(true);
    await expect(sender.send(subscription, "x")).rejects.toBeInstanceOf(SenderClosedError);
    expect(() => sender.sendAll([])).toThrow(SenderClosedError);
    await service.close();
  });

  it("refuses bad construction options", () => {
    expect(() => createSender({} as never)).toThrow(TypeError);
    expect(() => createSender({ vapid, concurrency: 0 })).toThrow(TypeError);
    expect(() => createSender({ vapid, ttl: -5 })).toThrow(InvalidOptionError);
  });
});

describe("connection management", () => {
  it("reconnects after the HTTP/2 service sends GOAWAY", async () => {
    const service = await startFakePushService();
    const sender = createSender({
      vapid,
      ca: service.ca,
      allowHosts: ["127.0.0.1"],
      clock: new InstantClock(),
    });
    const subscription = await service.subscribe();
    expect(await sender.send(subscription, "first")).toMatchObject({ ok: true });
    service.script(subscription, "goaway");
    const result = await sender.send(subscription, "after goaway");
    // The refused stream is resent on a new session within the same attempt.
    expect(result).toMatchObject({ ok: true, statusCode: 201, attempts: 1 });
    expect(await sender.send(subscription, "later")).toMatchObject({ ok: true, attempts: 1 });
    expect(service.messages.map((m) => m.text)).toEqual(["first", "after goaway", "later"]);
    await sender.close();
    await service.close();
  });

  it("tunnels through an HTTP proxy", async () => {
    const service = await startFakePushService();
    const tunnels: string[] = [];
    const proxy = createHttpServer();
    proxy.on("connect", (req, client, head) => {
      tunnels.push(req.url ?? "");
      const [host, port] = (req.url ?? "").split(":");
      const upstream = netConnect(Number(port), host!, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as AddressInfo;
    const sender = createSender({
      vapid,
      ca: service.ca,
      allowHosts: ["127.0.0.1"],
      proxy: `http://127.0.0.1:${port}`,
      clock: new InstantClock(),
    });
    const subscription = await service.subscribe();
    expect(await sender.send(subscription, "via proxy")).toMatchObject({
      ok: true,
      statusCode: 201,
    });
    expect((await service.nextMessage()).httpVersion).toBe("1.1");
    expect(tunnels).toEqual([new URL(service.origin).host]);
    await sender.close();
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    await service.close();
  });
});
