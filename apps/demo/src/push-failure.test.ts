import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describePushFailure } from "./push-failure.ts";
import {
  type MemoryDemo,
  makeSubscription,
  SessionClient,
  startMemoryDemo,
} from "./test-support/memory-demo.ts";

const ENDPOINT = "https://push.example.net/wpush/v2/secret-path";

/** Reasons the sender gives when no push service answered, as it words them. */
const NETWORK_REASONS = {
  ssrf: "refused to connect to push.example.net (resolved to 127.0.0.1): loopback address (SSRF guard); list the host in allowHosts to allow it",
  dns: "getaddrinfo ENOTFOUND push.example.net",
  refused: "connect ECONNREFUSED 10.0.0.3:443",
  timeout: "TLS connect to https://push.example.net timed out after 10000 ms",
};

describe("describePushFailure", () => {
  it("never tells the client what the network said, and logs it on one line", () => {
    const told: Record<string, string> = {};
    for (const [name, reason] of Object.entries(NETWORK_REASONS)) {
      const failure = describePushFailure({
        ok: false,
        statusCode: 0,
        gone: false,
        reason: `${reason}\n    at Socket.connect (node:net:1:1)`,
        endpoint: ENDPOINT,
      });
      told[name] = failure.client;
      for (const detail of [
        "127.0.0.1",
        "10.0.0.3",
        "resolved",
        "ENOTFOUND",
        "ECONNREFUSED",
        "getaddrinfo",
      ]) {
        expect(failure.client, `${name}: ${detail}`).not.toContain(detail);
      }
      expect(failure.log).toContain(reason);
      expect(failure.log).not.toMatch(/[\r\n]/);
      // The endpoint's path is the subscription's capability: only its origin is logged.
      expect(failure.log).toContain("https://push.example.net");
      expect(failure.log).not.toContain("secret-path");
    }
    expect(told).toEqual({
      ssrf: "the push service's address is not allowed: it is not a public address",
      dns: "the push service could not be reached",
      refused: "the push service could not be reached",
      timeout: "the push service did not answer in time",
    });
  });

  it("passes on what a push service that answered said, bounded", () => {
    const failure = describePushFailure({
      ok: false,
      statusCode: 413,
      gone: false,
      reason: `payload too large ${"x".repeat(500)}`,
      endpoint: ENDPOINT,
    });
    expect(failure.client).toMatch(/^the push service answered 413: payload too large x+$/);
    expect(failure.client.length).toBeLessThanOrEqual(250);
  });
});

describe("the routes that send", () => {
  let demo: MemoryDemo;
  beforeAll(async () => {
    demo = await startMemoryDemo();
  });
  afterAll(() => demo.close());

  it("answer send-push-msg and notify-me without resolver details, and log them", async () => {
    demo.pusher.answer = { ok: false, statusCode: 0, gone: false, reason: NETWORK_REASONS.dns };
    const client = new SessionClient(demo.port);
    const subscription = makeSubscription();

    const before = demo.logs.length;
    const companion = await client.post("/api/send-push-msg", { subscription, data: "hi" });
    expect(companion.status).toBe(400);
    expect(companion.json.error).toBe("the push service could not be reached");

    await client.post("/api/subscribe", { subscription });
    const me = await client.post("/api/notify-me", { title: "t" });
    expect(me.status).toBe(200);
    expect(me.json).toEqual({
      ok: false,
      statusCode: 0,
      gone: false,
      reason: "the push service could not be reached",
    });

    const lines = demo.logs.slice(before);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^demo: POST \/api\/send-push-msg: push to https:\/\/push\.example\.net failed: no answer: getaddrinfo ENOTFOUND/,
    );
    expect(lines[1]).toMatch(/^demo: POST \/api\/notify-me: .*ENOTFOUND/);
  });
});
