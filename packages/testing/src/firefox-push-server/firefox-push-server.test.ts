import { request } from "node:https";
import {
  base64urlDecode,
  base64urlEncode,
  decrypt,
  encrypt,
  generateSubscriptionKeys,
} from "@swp/ece";
import { createVapid, generateVapidKeys, type VapidKeys } from "@swp/vapid";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { firefoxPushPrefs } from "./firefox-push-prefs.ts";
import { type FirefoxPushServer, startFirefoxPushServer } from "./firefox-push-server.ts";

/** A scripted stand-in for Firefox's push client: a WebSocket that speaks the protocol. */
class FakeFirefox {
  readonly received: Record<string, unknown>[] = [];
  #waiters: {
    test: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      this.received.push(message);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.test(message)) return true;
        w.resolve(message);
        return false;
      });
    });
  }

  static async connect(url: string): Promise<FakeFirefox> {
    const socket = new WebSocket(url, "push-notification");
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    return new FakeFirefox(socket);
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  next(test: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    const seen = this.received.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }

  async hello(uaid?: string): Promise<string> {
    this.send({
      messageType: "hello",
      use_webpush: true,
      broadcasts: {},
      ...(uaid ? { uaid } : {}),
    });
    const reply = await this.next((m) => m.messageType === "hello");
    return reply.uaid as string;
  }

  /** Registers a channel the way Firefox does (padded base64url key) and returns the endpoint. */
  async register(channelID: string, key?: Uint8Array): Promise<string> {
    const padded = key
      ? base64urlEncode(key).padEnd(Math.ceil(base64urlEncode(key).length / 4) * 4, "=")
      : undefined;
    this.send({ messageType: "register", channelID, ...(padded ? { key: padded } : {}) });
    const reply = await this.next((m) => m.messageType === "register" && m.channelID === channelID);
    expect(reply.status).toBe(200);
    return reply.pushEndpoint as string;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.once("close", () => resolve());
      this.socket.close();
    });
  }
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function post(
  url: string,
  ca: string,
  headers: Record<string, string>,
  body: Uint8Array,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", ca, headers: { ...headers, "Content-Length": String(body.length) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

let server: FirefoxPushServer;
let firefox: FakeFirefox;
let vapidKeys: VapidKeys;
const now = () => Date.UTC(2026, 0, 1);

beforeEach(async () => {
  server = await startFirefoxPushServer({ now });
  firefox = await FakeFirefox.connect(server.wsUrl);
  vapidKeys = await generateVapidKeys();
});

afterEach(async () => {
  await server.close();
});

async function pushTo(
  endpoint: string,
  plaintext: string,
  o: { encoding?: "aes128gcm" | "aesgcm"; keys?: VapidKeys } = {},
) {
  const receiver = await generateSubscriptionKeys();
  const encoding = o.encoding ?? "aes128gcm";
  const encrypted = await encrypt(new TextEncoder().encode(plaintext), {
    uaPublic: receiver.uaPublic,
    authSecret: receiver.authSecret,
    encoding,
  });
  const vapid = createVapid({ keys: o.keys ?? vapidKeys, subject: "mailto:test@example.com", now });
  const vapidHeaders = await vapid.headers(endpoint, encoding);
  const headers: Record<string, string> = { TTL: "60", ...encrypted.headers, ...vapidHeaders };
  // aesgcm puts both dh= and p256ecdsa= in Crypto-Key.
  if (encrypted.headers["Crypto-Key"] && vapidHeaders["Crypto-Key"]) {
    headers["Crypto-Key"] = `${encrypted.headers["Crypto-Key"]};${vapidHeaders["Crypto-Key"]}`;
  }
  const answer = await post(endpoint, server.ca, headers, encrypted.body);
  return { answer, receiver, encrypted };
}

describe("startFirefoxPushServer", () => {
  it("answers hello with a uaid and use_webpush, and records it", async () => {
    const uaid = await firefox.hello();
    expect(uaid).toMatch(/^[0-9a-f]{32}$/);
    const reply = firefox.received.find((m) => m.messageType === "hello");
    expect(reply).toMatchObject({ status: 200, use_webpush: true });
    const hello = await server.waitForHello({ timeout: 1000 });
    expect(hello).toMatchObject({ uaid, resumed: false });
    expect(server.connected).toBe(true);
  });

  it("keeps a uaid Firefox presents, and answers pings", async () => {
    expect(await firefox.hello("a1b2c3")).toBe("a1b2c3");
    expect((await server.waitForHello()).resumed).toBe(true);
    firefox.send({});
    await firefox.next((m) => Object.keys(m).length === 0);
  });

  it("delivers an aes128gcm message that the browser can decrypt, and reports the ack", async () => {
    await firefox.hello();
    const endpoint = await firefox.register(
      "c0ffee00-0000-4000-8000-000000000001",
      vapidKeys.publicKey,
    );
    expect(endpoint.startsWith(`${server.origin}/wpush/v2/`)).toBe(true);
    const registered = await server.waitFor("register");
    expect(registered.applicationServerKey).toEqual(vapidKeys.publicKey);

    const { answer, receiver } = await pushTo(endpoint, "Yay it works.");
    expect(answer.status).toBe(201);
    expect(answer.headers.location).toMatch(new RegExp(`^${server.origin}/m/`));

    const notification = await firefox.next((m) => m.messageType === "notification");
    expect(notification.channelID).toBe(registered.channelID);
    expect(notification.headers).toEqual({ encoding: "aes128gcm" });
    const plaintext = await decrypt(base64urlDecode(notification.data as string), {
      uaPrivate: receiver.uaPrivate,
      uaPublic: receiver.uaPublic,
      authSecret: receiver.authSecret,
    });
    expect(new TextDecoder().decode(plaintext)).toBe("Yay it works.");

    const push = await server.waitFor("push");
    expect(push).toMatchObject({
      version: notification.version,
      delivery: "sent",
      encoding: "aes128gcm",
      ttl: 60,
    });
    expect(push.claims?.sub).toBe("mailto:test@example.com");
    expect(push.claims?.aud).toBe(server.origin);

    firefox.send({
      messageType: "ack",
      updates: [{ channelID: notification.channelID, version: notification.version, code: 100 }],
    });
    const ack = await server.waitFor("ack", { match: (e) => e.version === notification.version });
    expect(ack.outcome).toBe("delivered");
  });

  it("forwards legacy aesgcm with its salt and only the dh key", async () => {
    await firefox.hello();
    const endpoint = await firefox.register(
      "c0ffee00-0000-4000-8000-000000000002",
      vapidKeys.publicKey,
    );
    const { answer, receiver, encrypted } = await pushTo(endpoint, "legacy", {
      encoding: "aesgcm",
    });
    expect(answer.status).toBe(201);
    const notification = await firefox.next((m) => m.messageType === "notification");
    const headers = notification.headers as Record<string, string>;
    expect(headers.encoding).toBe("aesgcm");
    expect(headers.crypto_key).toBe(encrypted.headers["Crypto-Key"]);
    expect(headers.encryption).toBe(encrypted.headers.Encryption);
    const plaintext = await decrypt(base64urlDecode(notification.data as string), {
      ...receiver,
      encoding: "aesgcm",
      salt: base64urlDecode(headers.encryption!.slice("salt=".length)),
      asPublic: base64urlDecode(headers.crypto_key!.slice("dh=".length)),
    });
    expect(new TextDecoder().decode(plaintext)).toBe("legacy");
  });

  it("reports an ack with code 101 as a decryption failure", async () => {
    await firefox.hello();
    firefox.send({ messageType: "ack", updates: [{ channelID: "x", version: "v1", code: 101 }] });
    expect((await server.waitFor("ack")).outcome).toBe("decryption-failed");
  });

  it("refuses what a real push service refuses, and records why", async () => {
    await firefox.hello();
    const endpoint = await firefox.register(
      "c0ffee00-0000-4000-8000-000000000003",
      vapidKeys.publicKey,
    );
    const vapid = createVapid({ keys: vapidKeys, subject: "mailto:test@example.com", now });
    const auth = await vapid.headers(endpoint);
    const body = new Uint8Array(100);

    expect(
      (await post(endpoint, server.ca, { ...auth, "Content-Encoding": "aes128gcm" }, body)).status,
    ).toBe(400);
    expect(
      (await post(endpoint, server.ca, { TTL: "0", "Content-Encoding": "aes128gcm" }, body)).status,
    ).toBe(401);
    const big = await post(
      endpoint,
      server.ca,
      { ...auth, TTL: "0", "Content-Encoding": "aes128gcm" },
      new Uint8Array(4097),
    );
    expect(big.status).toBe(413);
    expect(
      (await post(`${server.origin}/wpush/v2/nope`, server.ca, { TTL: "0" }, body)).status,
    ).toBe(404);
    const other = await pushTo(endpoint, "x", { keys: await generateVapidKeys() });
    expect(other.answer.status).toBe(403);

    const rejected = server.events.filter((e) => e.type === "rejected").map((e) => e.statusCode);
    expect(rejected).toEqual([400, 401, 413, 404, 403]);
    expect(firefox.received.some((m) => m.messageType === "notification")).toBe(false);
  });

  it("answers 410 once the browser unregistered the subscription", async () => {
    await firefox.hello();
    const channelID = "c0ffee00-0000-4000-8000-000000000004";
    const endpoint = await firefox.register(channelID, vapidKeys.publicKey);
    firefox.send({ messageType: "unregister", channelID, code: 200 });
    await firefox.next((m) => m.messageType === "unregister");
    expect((await server.waitFor("unregister")).code).toBe(200);
    expect((await pushTo(endpoint, "late")).answer.status).toBe(410);
  });

  it("queues messages while Firefox is away and delivers them on its next hello", async () => {
    const uaid = await firefox.hello();
    const endpoint = await firefox.register(
      "c0ffee00-0000-4000-8000-000000000005",
      vapidKeys.publicKey,
    );
    await firefox.close();
    await expect.poll(() => server.connected).toBe(false);
    expect((await pushTo(endpoint, "later")).answer.status).toBe(201);
    expect((await server.waitFor("push")).delivery).toBe("queued");

    firefox = await FakeFirefox.connect(server.wsUrl);
    await firefox.hello(uaid);
    const notification = await firefox.next((m) => m.messageType === "notification");
    expect(notification.channelID).toBe("c0ffee00-0000-4000-8000-000000000005");
  });

  it("times out a wait with the events seen so far", async () => {
    await expect(server.waitFor("nack", { timeout: 20 })).rejects.toThrow(
      'no matching "nack" event within 20 ms (events so far: none)',
    );
  });
});

describe("firefoxPushPrefs", () => {
  it("points Firefox at the server's WebSocket and turns push on", async () => {
    const prefs = firefoxPushPrefs(server);
    expect(prefs["dom.push.serverURL"]).toBe(server.wsUrl);
    expect(server.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(prefs["dom.push.connection.enabled"]).toBe(true);
    expect(prefs["dom.push.testing.allowInsecureServerURL"]).toBe(true);
    expect(prefs["alerts.useSystemBackend"]).toBe(false);
  });
});
