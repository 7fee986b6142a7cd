import { existsSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { base64urlDecode, base64urlEncode } from "@swp/ece";
import { type PushSubscription, SubscriptionError } from "@swp/sender";
import { createMemoryStore, SessionIdError } from "@swp/store";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isSwpError, PusherError } from "./errors.ts";
import type { PusherOptions } from "./options.ts";
import { Pusher } from "./pusher.ts";

const SUBJECT = "mailto:push-tests@example.com";

let service: FakePushService;
let dir: string;
const open: Pusher[] = [];

beforeAll(async () => {
  service = await startFakePushService();
});
afterAll(async () => {
  await service.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "swp-pusher-"));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
  await rm(dir, { recursive: true, force: true });
});

/** A Pusher on the temp dir that reaches the fake push service. */
function pusherIn(directory: string, extra: PusherOptions = {}): Pusher {
  const pusher = new Pusher({
    keyPath: join(directory, "private_key.pem"),
    dbPath: join(directory, "subscriptors.db"),
    subject: SUBJECT,
    ca: service.ca,
    allowHosts: ["127.0.0.1"],
    ...extra,
  });
  open.push(pusher);
  return pusher;
}

/** Messages the fake service received for one endpoint since `from`. */
function textsFor(subscription: PushSubscription, from: number): string[] {
  return service.messages
    .slice(from)
    .filter((m) => m.endpoint === subscription.endpoint)
    .map((m) => m.text);
}

describe("Pusher: the original's flow, end to end", () => {
  it("creates keys, reuses them, stores subscriptions, notifies, cleans up gone ones", async () => {
    // Keys are created on first use, and reused by a second Pusher on the same files.
    const pusher = pusherIn(dir);
    expect(existsSync(join(dir, "private_key.pem"))).toBe(false); // no I/O in the constructor
    const publicKey = await pusher.getPublicKey();
    expect(publicKey).toHaveLength(65);
    expect(publicKey[0]).toBe(4);
    expect(statSync(join(dir, "private_key.pem")).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, "public_key.pem"), "utf8")).toContain("BEGIN PUBLIC KEY");
    const urlB64 = await pusher.getUrlB64PublicKey();
    expect(urlB64).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(base64urlDecode(urlB64)).toEqual(publicKey);
    expect(new Uint8Array(Buffer.from(await pusher.getB64PublicKey(), "base64"))).toEqual(
      publicKey,
    );
    expect(await pusher.getB64PublicKey()).toMatch(/^[A-Za-z0-9+/]{87}=$/);
    const privateKey = await pusher.getPrivateKey();
    expect(privateKey).toHaveLength(32);
    expect(base64urlDecode(await pusher.getUrlB64PrivateKey())).toEqual(privateKey);
    expect(new Uint8Array(Buffer.from(await pusher.getB64PrivateKey(), "base64"))).toEqual(
      privateKey,
    );

    const again = pusherIn(dir);
    expect(await again.getUrlB64PublicKey()).toBe(urlB64);
    expect(await again.getPrivateKey()).toEqual(privateKey);
    // Getters hand out copies: scribbling on one changes nothing.
    publicKey.fill(0);
    expect((await pusher.getPublicKey())[0]).toBe(4);

    // Browsers subscribed with this key: the service refuses messages signed by another.
    const subscribe = () => service.subscribe({ applicationServerKey: base64urlDecode(urlB64) });
    const [alice, bob, carol, dave] = await Promise.all([
      subscribe(),
      subscribe(),
      subscribe(),
      subscribe(),
    ]);

    // sendNotification with the subscription as the browser's JSON text.
    let mark = service.messages.length;
    const hello = await pusher.sendNotification(JSON.stringify(alice), "Hello World");
    expect(hello).toMatchObject({
      ok: true,
      statusCode: 201,
      gone: false,
      endpoint: alice!.endpoint,
    });
    expect(textsFor(alice!, mark)).toEqual(["Hello World"]);
    const received = service.messages.at(-1)!;
    expect(received.claims?.sub).toBe(SUBJECT);
    expect(received.claims?.aud).toBe(service.origin);

    // Stored by session id, found back every way the original allowed.
    await pusher.newSubscription("alice", JSON.stringify(alice));
    await pusher.newSubscription("bob", bob!, 13);
    await pusher.newSubscription("carol", carol!, 13);
    await pusher.newSubscription("dave", dave!);
    expect(await pusher.getSubscription("alice")).toMatchObject({
      endpoint: alice!.endpoint,
      keys: alice!.keys,
    });
    expect(await pusher.getIdSession(JSON.stringify(alice))).toBe("alice");
    expect(await pusher.getIdSession(bob!)).toBe("bob");
    expect(await pusher.getIdSession(carol!.endpoint)).toBe("carol");
    expect(await pusher.getGroupId("bob")).toBe(13);
    expect(await pusher.getGroupId("dave")).toBe(0);
    expect(await pusher.getGroupId("nobody")).toBeUndefined();
    expect(await pusher.getSubscription("nobody")).toBeUndefined();
    expect(await pusher.countSubscriptions()).toBe(4);
    expect(await pusher.countSubscriptions({ groupId: 13 })).toBe(2);

    // notify sends an object as its JSON text.
    mark = service.messages.length;
    const notified = await pusher.notify("alice", { title: "hey Alice!", body: "you rock" });
    expect(notified.ok).toBe(true);
    expect(textsFor(alice!, mark).map((t) => JSON.parse(t))).toEqual([
      { title: "hey Alice!", body: "you rock" },
    ]);

    // notifyAll with a group and an except list.
    mark = service.messages.length;
    const team = await pusher.notifyAll("team news", { groupId: 13, except: ["carol"] });
    expect(team).toMatchObject({ total: 1, sent: 1, gone: 0, failed: 0, errors: [] });
    expect(team.results.map((r) => r.id)).toEqual(["bob"]);
    expect(textsFor(bob!, mark)).toEqual(["team news"]);
    expect(textsFor(carol!, mark)).toEqual([]);

    // A 410 removes the subscription, and the summary counts it.
    service.unsubscribe(carol!);
    mark = service.messages.length;
    const everyone = await pusher.notifyAll("everyone", { except: ["alice"] });
    expect(everyone).toMatchObject({ total: 3, sent: 2, gone: 1, failed: 0 });
    expect(everyone.results.find((r) => r.gone)).toMatchObject({ id: "carol", statusCode: 410 });
    expect(await pusher.getSubscription("carol")).toBeUndefined();
    expect(await pusher.countSubscriptions()).toBe(3);
    expect([...textsFor(bob!, mark), ...textsFor(dave!, mark)]).toEqual(["everyone", "everyone"]);

    // Nonblocking calls return at once; wait() collects every result.
    expect(pusher.notify("alice", "one", { nonblocking: true })).toBeUndefined();
    expect(pusher.sendNotification(bob!, "two", { nonblocking: true })).toBeUndefined();
    expect(pusher.notifyAll("three", { nonblocking: true })).toBeUndefined();
    const waited = await pusher.wait();
    expect(waited).toMatchObject({ total: 5, sent: 5, gone: 0, failed: 0, errors: [] });
    expect(await pusher.wait()).toMatchObject({ total: 0, results: [], errors: [] });

    // Unsubscribe.
    expect(await pusher.removeSubscription("dave")).toBe(true);
    expect(await pusher.removeSubscription("dave")).toBe(false);
    expect(await pusher.countSubscriptions()).toBe(2);
  });
});

describe("Pusher: sending", () => {
  it("sends bytes as they are, and strings and JSON values as UTF-8 text", async () => {
    const pusher = pusherIn(dir);
    const sub = await service.subscribe();
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await pusher.sendNotification(sub, bytes);
    expect(service.messages.at(-1)!.payload).toEqual(bytes);
    await pusher.sendNotification(sub, "héllo ✓");
    expect(service.messages.at(-1)!.text).toBe("héllo ✓");
    await pusher.sendNotification(sub, [1, { two: 2 }]);
    expect(service.messages.at(-1)!.text).toBe('[1,{"two":2}]');
  });

  it("passes the sender options through, and per-call options win", async () => {
    const pusher = pusherIn(dir, { ttl: 120, urgency: "low" });
    const sub = await service.subscribe();
    await pusher.sendNotification(sub, "defaults");
    expect(service.messages.at(-1)!.headers).toMatchObject({ ttl: "120", urgency: "low" });
    await pusher.sendNotification(sub, "override", { ttl: 5, urgency: "high", topic: "build-42" });
    expect(service.messages.at(-1)!.headers).toMatchObject({
      ttl: "5",
      urgency: "high",
      topic: "build-42",
    });
    await pusher.sendNotification(sub, "legacy", { encoding: "aesgcm" });
    const legacy = service.messages.at(-1)!;
    expect(legacy.headers["content-encoding"]).toBe("aesgcm");
    expect(legacy.text).toBe("legacy");
  });

  it("reports refusals as results, not exceptions, and retries what is worth retrying", async () => {
    const pusher = pusherIn(dir, { retries: 1 });
    const sub = await service.subscribe();
    service.script(sub, { status: 400, body: "UnauthorizedRegistration" });
    const refused = await pusher.sendNotification(sub, "x");
    expect(refused).toMatchObject({ ok: false, gone: false, statusCode: 400, attempts: 1 });
    service.script(sub, 500);
    const retried = await pusher.sendNotification(sub, "y");
    expect(retried).toMatchObject({ ok: true, statusCode: 201, attempts: 2 });
  });

  it("throws for a malformed subscription or data JSON cannot carry, before any I/O", async () => {
    const pusher = pusherIn(dir);
    const sub = await service.subscribe();
    const requests = service.requestCount;
    await expect(pusher.sendNotification('{"endpoint":"https://x"}', "hi")).rejects.toBeInstanceOf(
      SubscriptionError,
    );
    await expect(pusher.sendNotification(sub, undefined as never)).rejects.toThrow(TypeError);
    // Nonblocking: the same mistakes are thrown at the call.
    expect(() => pusher.sendNotification("not json", "hi", { nonblocking: true })).toThrow(
      SubscriptionError,
    );
    expect(() => pusher.notify("", "hi", { nonblocking: true })).toThrow(SessionIdError);
    expect(service.requestCount).toBe(requests);
    expect((await pusher.wait()).total).toBe(0);
  });

  it("sendNotificationToAll reads any iterable, reports bad items as failures, removes gone ones", async () => {
    const pusher = pusherIn(dir);
    const [a, b, c] = await Promise.all([
      service.subscribe(),
      service.subscribe(),
      service.subscribe(),
    ]);
    await pusher.newSubscription("c", c!);
    service.unsubscribe(c!);
    async function* subscriptions() {
      yield a!;
      yield JSON.stringify(b);
      yield { endpoint: "https://push.example.net/x", keys: { p256dh: "nope", auth: "nope" } };
      yield c!;
    }
    const progress: number[] = [];
    const summary = await pusher.sendNotificationToAll(subscriptions(), "bulk", {
      onProgress: (p) => progress.push(p.done),
    });
    expect(summary).toMatchObject({ total: 4, sent: 2, gone: 1, failed: 1, errors: [] });
    expect(summary.results.find((r) => !r.ok && !r.gone)?.statusCode).toBe(0);
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(await pusher.getSubscription("c")).toBeUndefined();
  });

  it("never creates a database just to forget a gone subscription", async () => {
    const pusher = pusherIn(dir);
    const sub = await service.subscribe();
    service.unsubscribe(sub);
    expect(await pusher.sendNotification(sub, "x")).toMatchObject({ gone: true, statusCode: 410 });
    expect(existsSync(join(dir, "subscriptors.db"))).toBe(false);
  });

  it("needs a subject to send, and says how to give one; keys work without it", async () => {
    const pusher = new Pusher({
      keyPath: join(dir, "private_key.pem"),
      dbPath: join(dir, "subscriptors.db"),
      ca: service.ca,
      allowHosts: ["127.0.0.1"],
    });
    open.push(pusher);
    expect(await pusher.getUrlB64PublicKey()).toMatch(/^B/);
    const sub = await service.subscribe();
    const error = await pusher.sendNotification(sub, "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PusherError);
    expect(isSwpError(error)).toBe(true);
    expect(error).toMatchObject({ code: "ERR_PUSHER_NO_SUBJECT" });
    expect((error as Error).message).toContain('subject: "mailto:');
    expect((error as Error).message).toContain("SWP_SUBJECT");
  });

  it("takes the subject from SWP_SUBJECT", async () => {
    const saved = process.env.SWP_SUBJECT;
    process.env.SWP_SUBJECT = "mailto:from-env@example.com";
    try {
      const pusher = pusherIn(dir, { subject: undefined });
      await pusher.sendNotification(await service.subscribe(), "x");
      expect(service.messages.at(-1)!.claims?.sub).toBe("mailto:from-env@example.com");
    } finally {
      if (saved === undefined) delete process.env.SWP_SUBJECT;
      else process.env.SWP_SUBJECT = saved;
    }
  });

  it("uses keys given as bytes, without touching any key file", async () => {
    const source = pusherIn(join(dir));
    const keys = {
      publicKey: await source.getPublicKey(),
      privateKey: await source.getPrivateKey(),
    };
    const other = await mkdtemp(join(tmpdir(), "swp-pusher-keys-"));
    try {
      const pusher = pusherIn(other, { keys });
      const sub = await service.subscribe({ applicationServerKey: keys.publicKey });
      expect(await pusher.sendNotification(sub, "x")).toMatchObject({ ok: true });
      expect(existsSync(join(other, "private_key.pem"))).toBe(false);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe("Pusher: notify and notifyAll", () => {
  it("notify: SessionIdError for a malformed id, ERR_PUSHER_UNKNOWN_SESSION naming one with nothing stored", async () => {
    const pusher = pusherIn(dir);
    await expect(pusher.notify("", "x")).rejects.toBeInstanceOf(SessionIdError);
    await expect(pusher.notify("x".repeat(257), "x")).rejects.toMatchObject({
      code: "ERR_STORE_SESSION_ID",
    });
    const unknown = await pusher.notify("nobody", "x").catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(PusherError);
    expect(unknown).not.toBeInstanceOf(SessionIdError);
    expect(unknown).toMatchObject({
      code: "ERR_PUSHER_UNKNOWN_SESSION",
      message: 'no subscription is stored for session id "nobody"',
    });
    expect(isSwpError(unknown)).toBe(true);
    // A long or odd id is named cut and JSON-quoted: one line, visible escapes.
    const odd = (await pusher
      .notify(`line\n${"y".repeat(100)}`, "x")
      .catch((e: Error) => e)) as Error;
    expect(odd.message).toBe(
      `no subscription is stored for session id "line\\n${"y".repeat(59)}…"`,
    );
    await pusher.close();
  });

  it("reports progress with the total counted first, and can keep counts only", async () => {
    const pusher = pusherIn(dir);
    const subs = await Promise.all(Array.from({ length: 6 }, () => service.subscribe()));
    for (const [n, sub] of subs.entries()) await pusher.newSubscription(`s${n}`, sub, n % 2);
    service.unsubscribe(subs[2]!);
    const progress: Array<{ done: number; total?: number }> = [];
    const seen: unknown[] = [];
    const summary = await pusher.notifyAll("odd or even", {
      groupId: 0,
      except: ["s4", "s1", "absent"], // s1 is in group 1: only s4 lowers the total
      collectResults: false,
      onProgress: ({ done, total }) => progress.push({ done, total }),
      onResult: (r) => seen.push(r.id),
    });
    expect(summary).toMatchObject({ total: 2, sent: 1, gone: 1, failed: 0, results: [] });
    expect(progress).toEqual([
      { done: 1, total: 2 },
      { done: 2, total: 2 },
    ]);
    expect(seen.sort()).toEqual(["s0", "s2"]);
  });

  it("records a throwing callback in errors and carries on", async () => {
    const pusher = pusherIn(dir);
    for (const n of [1, 2]) await pusher.newSubscription(`s${n}`, await service.subscribe());
    const boom = new Error("callback bug");
    const summary = await pusher.notifyAll("x", {
      onResult: () => {
        throw boom;
      },
    });
    expect(summary).toMatchObject({ total: 2, sent: 2 });
    expect(summary.errors).toEqual([boom, boom]);
  });

  it("refuses a group id that is not an integer", async () => {
    const pusher = pusherIn(dir);
    await expect(pusher.notifyAll("x", { groupId: 1.5 })).rejects.toThrow(TypeError);
    expect(() => pusher.notifyAll("x", { groupId: "13" as never, nonblocking: true })).toThrow(
      TypeError,
    );
  });
});

describe("Pusher: nonblocking calls and wait()", () => {
  it("puts failures after the call into wait()'s errors, never an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const pusher = pusherIn(dir);
      const sub = await service.subscribe();
      await pusher.newSubscription("known", sub);
      pusher.notify("unknown", "x", { nonblocking: true });
      pusher.notify("known", "y", { nonblocking: true });
      // Let everything settle before anyone waits.
      await pusher.close();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      const summary = await pusher.wait();
      expect(summary).toMatchObject({ total: 1, sent: 1 });
      expect(summary.errors).toHaveLength(1);
      expect(summary.errors[0]).toBeInstanceOf(PusherError);
      expect(summary.errors[0]).toMatchObject({
        code: "ERR_PUSHER_UNKNOWN_SESSION",
        message: 'no subscription is stored for session id "unknown"',
      });
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("close() lets queued sends finish; afterwards calls fail with ERR_PUSHER_CLOSED", async () => {
    const pusher = pusherIn(dir);
    const subs = await Promise.all([service.subscribe(), service.subscribe()]);
    const mark = service.messages.length;
    for (const sub of subs) pusher.sendNotification(sub, "before close", { nonblocking: true });
    await pusher.close();
    expect(service.messages.length - mark).toBe(2);
    await pusher.close(); // harmless
    await expect(pusher.notify("x", "y")).rejects.toMatchObject({ code: "ERR_PUSHER_CLOSED" });
    expect(() => pusher.notifyAll("y", { nonblocking: true })).toThrow(PusherError);
    await expect(pusher.getPublicKey()).rejects.toMatchObject({ code: "ERR_PUSHER_CLOSED" });
    expect((await pusher.wait()).sent).toBe(2);
  });
});

describe("Pusher: verbose mode", () => {
  it("prints one line per answer: status, origin, outcome; never keys or endpoint paths", async () => {
    const lines: string[] = [];
    const pusher = pusherIn(dir, { verbose: true, log: (line) => lines.push(line) });
    const [a, b] = await Promise.all([service.subscribe(), service.subscribe()]);
    await pusher.newSubscription("a", a!);
    await pusher.newSubscription("b", b!);
    service.unsubscribe(b!);
    await pusher.notifyAll("hello");
    pusher.setVerbose(false);
    await pusher.notify("a", "quiet");
    expect(lines.sort()).toEqual([
      `[swp] 201 ${service.origin} sent`,
      expect.stringMatching(
        new RegExp(
          `^\\[swp\\] 410 ${service.origin.replace(/\./g, "\\.")} gone.*\\(removed from the store\\)$`,
        ),
      ),
    ]);
    const secrets = [
      new URL(a!.endpoint).pathname,
      new URL(b!.endpoint).pathname,
      a!.keys.auth,
      a!.keys.p256dh,
      await pusher.getUrlB64PrivateKey(),
      await pusher.getB64PrivateKey(),
    ];
    for (const line of lines) for (const secret of secrets) expect(line).not.toContain(secret);
  });
});

describe("Pusher: a custom store", () => {
  it("uses the store it is given for everything, and leaves it open", async () => {
    const store = createMemoryStore();
    const pusher = pusherIn(dir, { store });
    const [a, b] = await Promise.all([service.subscribe(), service.subscribe()]);
    await pusher.newSubscription("a", a!, 2);
    await pusher.newSubscription("b", b!, 2);
    expect(await store.count({ groupId: 2 })).toBe(2);
    service.unsubscribe(a!);
    expect(await pusher.notifyAll("hi", { groupId: 2 })).toMatchObject({ sent: 1, gone: 1 });
    expect(await store.get("a")).toBeUndefined();
    await pusher.close();
    expect(await store.count()).toBe(1); // still open: the caller owns it
    expect(existsSync(join(dir, "subscriptors.db"))).toBe(false);
    await store.close();
  });

  it("reports a store that fails to forget a gone subscription, and still counts the answer", async () => {
    const store = createMemoryStore();
    const failure = new Error("database is locked");
    const failing = Object.assign(Object.create(null), {
      ...Object.fromEntries(
        (["put", "remove", "get", "findSessionId", "list", "count", "close"] as const).map((m) => [
          m,
          (...args: never[]) => (store[m] as (...a: never[]) => unknown)(...args),
        ]),
      ),
      removeByEndpoint: async () => {
        throw failure;
      },
    });
    const pusher = pusherIn(dir, { store: failing });
    const [a, b] = await Promise.all([service.subscribe(), service.subscribe()]);
    await pusher.newSubscription("a", a!);
    await pusher.newSubscription("b", b!);
    service.unsubscribe(b!);
    const summary = await pusher.notifyAll("hi");
    expect(summary).toMatchObject({ total: 2, sent: 1, gone: 1, errors: [failure] });
    // A single send has no summary: the store's error is the rejection.
    await expect(pusher.notify("b", "again")).rejects.toBe(failure);
    await store.close();
  });

  it("names the methods a store lacks", () => {
    expect(() => new Pusher({ store: { put() {} } as never })).toThrow(
      /missing: remove, removeByEndpoint/,
    );
  });
});

describe("Pusher: key files", () => {
  it("writes a public key PEM that matches the served key", async () => {
    const pusher = pusherIn(dir);
    const served = await pusher.getPublicKey();
    const { createPublicKey } = await import("node:crypto");
    const jwk = createPublicKey(await readFile(join(dir, "public_key.pem"), "utf8")).export({
      format: "jwk",
    });
    expect(base64urlEncode(served.subarray(1, 33))).toBe(jwk.x);
    expect(base64urlEncode(served.subarray(33))).toBe(jwk.y);
  });

  it("two Pushers racing to create the keys end up with one key pair", async () => {
    const [one, two] = [pusherIn(dir), pusherIn(dir)];
    const [k1, k2] = await Promise.all([one.getUrlB64PublicKey(), two.getUrlB64PublicKey()]);
    expect(k1).toBe(k2);
  });
});
