import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PushSubscription } from "@swp/sender";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";
import { type RunningDemo, startDemo } from "./demo.ts";

/** One browser: keeps the session cookie and sends what a same-origin page sends. */
class Client {
  cookie: string | undefined;
  constructor(readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set("Cookie", this.cookie);
    const response = await fetch(`${this.base}${path}`, { ...init, headers });
    const set = response.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0];
    return response;
  }

  post(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, {
      method: "POST",
      headers: { Origin: this.base, "Content-Type": "application/json", ...headers },
      ...(body === undefined
        ? {}
        : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
  }
}

let fake: FakePushService;
let demo: RunningDemo;
let dataDir: string;
let base: string;
let serverKey: string;
const logs: string[] = [];

async function newSubscription(): Promise<PushSubscription> {
  return fake.subscribe({ applicationServerKey: Buffer.from(serverKey, "base64url") });
}

async function subscribed(): Promise<{ client: Client; subscription: PushSubscription }> {
  const client = new Client(base);
  await client.request("/");
  const subscription = await newSubscription();
  const answer = await client.post("/api/subscribe", { subscription });
  expect(answer.status).toBe(200);
  return { client, subscription };
}

beforeAll(async () => {
  fake = await startFakePushService();
  dataDir = await mkdtemp(join(tmpdir(), "swp-demo-"));
  const config = loadConfig({ PORT: "0", DEMO_DATA_DIR: dataDir, DEMO_ALLOW_HOSTS: "127.0.0.1" });
  demo = await startDemo(config, { ca: fake.ca, logError: (line) => logs.push(line) });
  base = `http://127.0.0.1:${demo.port}`;
  serverKey = await demo.pusher.getUrlB64PublicKey();
});

afterAll(async () => {
  await demo?.close();
  await fake?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("the client", () => {
  it("serves the codelab page and sets an HttpOnly, SameSite session cookie", async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await response.text()).toContain("<h1>Push Codelab</h1>");
    expect(response.headers.get("set-cookie")).toMatch(
      /^swp_session=[0-9a-f]{32}; Path=\/; HttpOnly; SameSite=Strict/,
    );
  });

  it("serves the service worker, the script, the stylesheet and the images", async () => {
    const types = {
      "/sw.js": "text/javascript; charset=utf-8",
      "/scripts/main.js": "text/javascript; charset=utf-8",
      "/styles/index.css": "text/css; charset=utf-8",
      "/images/icon.png": "image/png",
      "/images/badge.png": "image/png",
      "/companion.html": "text/html; charset=utf-8",
      "/manifest.webmanifest": "application/manifest+json; charset=utf-8",
    };
    for (const [path, type] of Object.entries(types)) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toBe(type);
    }
    const png = new Uint8Array(await (await fetch(`${base}/images/icon.png`)).arrayBuffer());
    expect([...png.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]); // "PNG"
    expect(new DataView(png.buffer).getUint32(16)).toBe(192); // IHDR width
  });

  it("never serves a file outside the client folder", async () => {
    for (const path of [
      "/../package.json",
      "/%2e%2e/package.json",
      "/..%2fpackage.json",
      "/.hidden",
    ]) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
  });
});

describe("the API", () => {
  it("hands out the public key the server signs with", async () => {
    const response = await fetch(`${base}/api/vapid-public-key`);
    const { publicKey } = (await response.json()) as { publicKey: string };
    expect(publicKey).toBe(serverKey);
    const bytes = Buffer.from(publicKey, "base64url");
    expect(bytes.length).toBe(65);
    expect(bytes[0]).toBe(0x04);
  });

  it("refuses bad requests with the right status and keeps serving", async () => {
    const client = new Client(base);
    const cases: [Promise<Response>, number, RegExp][] = [
      [client.post("/api/subscribe", "x".repeat(9000)), 413, /at most 8192 bytes/],
      [client.post("/api/subscribe", "{not json"), 400, /not valid JSON/],
      [client.post("/api/subscribe", "[1,2]"), 400, /JSON object/],
      [
        client.post("/api/subscribe", { subscription: { endpoint: "https://push.example.net/x" } }),
        400,
        /keys/,
      ],
      [
        client.post("/api/subscribe", "{}", { "Content-Type": "text/plain" }),
        415,
        /application\/json/,
      ],
      [client.request("/api/subscribe"), 405, /use POST/],
      [client.post("/api/vapid-public-key", {}), 405, /use GET/],
      [client.post("/index.html", {}), 405, /not allowed/],
      [client.request("/api/nothing-here"), 404, /no API/],
      [client.request("/missing.html"), 404, /not found/],
      [client.post("/api/notify-all", { title: 42 }), 400, /title must be a string/],
      [client.post("/api/unsubscribe", {}, { Origin: "https://evil.example" }), 403, /cross-site/],
      [client.post("/api/unsubscribe", {}, { "Sec-Fetch-Site": "cross-site" }), 403, /cross-site/],
      [client.post("/api/notify-me", {}), 404, /no subscription/],
    ];
    for (const [pending, status, message] of cases) {
      const response = await pending;
      const body = (await response.json()) as { error: string };
      expect({ status: response.status, error: body.error }).toMatchObject({ status });
      expect(body.error).toMatch(message);
    }
    expect((await client.request("/api/subscribe")).headers.get("allow")).toBe("POST");
    expect((await fetch(`${base}/api/vapid-public-key`)).status).toBe(200);
  });

  it("keeps two sessions' subscriptions apart and messages each one only", async () => {
    const alice = await subscribed();
    const bob = await subscribed();
    expect(alice.client.cookie).not.toBe(bob.client.cookie);

    for (const { client, subscription } of [alice, bob]) {
      const before = fake.messages.length;
      const title = `for ${subscription.endpoint.slice(-8)}`;
      const answer = await client.post("/api/notify-me", { title, body: "Hello" });
      expect(await answer.json()).toMatchObject({ ok: true, gone: false });
      expect(fake.messages.length).toBe(before + 1);
      const message = fake.messages.at(-1)!;
      expect(message.endpoint).toBe(subscription.endpoint);
      expect(JSON.parse(message.text)).toEqual({ title, body: "Hello" });
    }
  });

  it("sends a Declarative Web Push message that opens the page when asked to", async () => {
    const { client, subscription } = await subscribed();
    const before = fake.messages.length;
    const answer = await client.post("/api/notify-me", {
      title: "Declared",
      body: "By the browser",
      declarative: true,
    });
    expect(await answer.json()).toMatchObject({ ok: true, statusCode: 201 });
    const message = fake.messages.at(before)!;
    expect(message.endpoint).toBe(subscription.endpoint);
    expect(JSON.parse(message.text)).toEqual({
      web_push: 8030,
      notification: { title: "Declared", body: "By the browser", navigate: `${base}/`, lang: "en" },
    });
  });

  it("forgets the subscription on unsubscribe", async () => {
    const { client } = await subscribed();
    expect(await (await client.post("/api/unsubscribe")).json()).toEqual({ removed: true });
    expect(await (await client.post("/api/unsubscribe")).json()).toEqual({ removed: false });
    expect((await client.post("/api/notify-me", {})).status).toBe(404);
  });

  it("moves a browser's subscription to its new session instead of keeping two", async () => {
    const { client: old, subscription } = await subscribed();
    const fresh = new Client(base);
    expect((await fresh.post("/api/subscribe", { subscription })).status).toBe(200);
    expect((await old.post("/api/notify-me", {})).status).toBe(404);
    expect((await fresh.post("/api/notify-me", {})).status).toBe(200);
  });

  it("refuses (409) to move an endpoint to a session that posts other keys", async () => {
    const { client: owner, subscription } = await subscribed();
    const stranger = new Client(base);
    const ownKeys = (await newSubscription()).keys;
    const answer = await stranger.post("/api/subscribe", {
      subscription: { endpoint: subscription.endpoint, keys: ownKeys },
    });
    expect(answer.status).toBe(409);
    expect(await answer.json()).toMatchObject({ code: "ERR_DEMO_ENDPOINT_TAKEN" });
    // The owner still gets its messages, encrypted to its own keys.
    const before = fake.messages.length;
    expect((await owner.post("/api/notify-me", { title: "still mine" })).status).toBe(200);
    expect(fake.messages.at(before)?.endpoint).toBe(subscription.endpoint);
    expect(JSON.parse(fake.messages.at(before)?.text ?? "{}")).toMatchObject({
      title: "still mine",
    });
    expect((await stranger.post("/api/notify-me", {})).status).toBe(404);
  });
});

describe("the companion", () => {
  it("messages everyone, removes a gone subscription and reports it in the summary", async () => {
    const companion = new Client(base);
    // Start from a known set: whatever earlier tests stored is messaged too, so count it.
    const first = (await (await companion.post("/api/notify-all", { title: "t" })).json()) as {
      sent: number;
    };
    const gone = await subscribed();
    await subscribed();
    fake.unsubscribe(gone.subscription);

    const summary = await (
      await companion.post("/api/notify-all", { title: "All", body: "Hi" })
    ).json();
    expect(summary).toEqual({ total: first.sent + 2, sent: first.sent + 1, gone: 1, failed: 0 });
    expect((await gone.client.post("/api/notify-me", {})).status).toBe(404);

    const again = await (await companion.post("/api/notify-all", { title: "All" })).json();
    expect(again).toEqual({ total: first.sent + 1, sent: first.sent + 1, gone: 0, failed: 0 });
  });

  it("send-push-msg sends with the server's keys, never keys from the browser", async () => {
    const subscription = await newSubscription();
    const before = fake.messages.length;
    const answer = await new Client(base).post("/api/send-push-msg", {
      subscription,
      data: "Hello from the companion",
      applicationKeys: { public: "BOGUS", private: "NOT-USED" },
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ success: true });
    expect(fake.messages.length).toBe(before + 1);
    const message = fake.messages.at(-1)!;
    expect(message.text).toBe("Hello from the companion");
    expect(String(message.headers.authorization)).toContain(`k=${serverKey}`);
  });

  it("send-push-msg passes a push service's refusal through, as the codelab's companion did", async () => {
    const subscription = await newSubscription();
    fake.script(subscription.endpoint, { status: 404 });
    const answer = await new Client(base).post("/api/send-push-msg", { subscription, data: "x" });
    expect(answer.status).toBe(404);
    expect(((await answer.json()) as { error: string }).error).toBeTruthy();

    const bad = await new Client(base).post("/api/send-push-msg", {
      subscription: { endpoint: 1 },
      data: "x",
    });
    expect(bad.status).toBe(400);
  });

  it("send-push-msg says an endpoint is refused without saying what it resolved to", async () => {
    // The fake service's own subscription, addressed by a name the SSRF guard resolves to
    // 127.0.0.1: only the literal 127.0.0.1 is allowed to this demo.
    const subscription = await newSubscription();
    const url = new URL(subscription.endpoint);
    url.hostname = "localhost";
    const before = logs.length;
    const answer = await new Client(base).post("/api/send-push-msg", {
      subscription: { ...subscription, endpoint: url.href },
      data: "x",
    });
    expect(answer.status).toBe(400);
    const { error } = (await answer.json()) as { error: string };
    expect(error).toBe("the push service's address is not allowed: it is not a public address");
    expect(logs.slice(before)).toEqual([
      expect.stringMatching(
        /^demo: POST \/api\/send-push-msg: push to https:\/\/localhost:\d+ failed: no answer: .*resolved to 127\.0\.0\.1/,
      ),
    ]);
  });
});

describe("restarting", () => {
  it("reuses the keys and the subscriptions in the data directory", async () => {
    const { client, subscription } = await subscribed();
    const cookie = client.cookie;
    const again = await startDemo(
      loadConfig({ PORT: "0", DEMO_DATA_DIR: dataDir, DEMO_ALLOW_HOSTS: "127.0.0.1" }),
      { ca: fake.ca },
    );
    try {
      expect(await again.pusher.getUrlB64PublicKey()).toBe(serverKey);
      const restarted = new Client(`http://127.0.0.1:${again.port}`);
      restarted.cookie = cookie;
      const before = fake.messages.length;
      expect((await restarted.post("/api/notify-me", { title: "still here" })).status).toBe(200);
      expect(fake.messages.at(before)?.endpoint).toBe(subscription.endpoint);
    } finally {
      await again.close();
    }
  });
});
