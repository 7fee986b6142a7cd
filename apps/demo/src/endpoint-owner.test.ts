import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type MemoryDemo,
  makeSubscription,
  SessionClient,
  startMemoryDemo,
} from "./test-support/memory-demo.ts";

let demo: MemoryDemo;
beforeAll(async () => {
  demo = await startMemoryDemo();
});
afterAll(() => demo.close());

async function subscribedSession() {
  const client = new SessionClient(demo.port);
  const subscription = makeSubscription();
  const answer = await client.post("/api/subscribe", { subscription });
  expect(answer.status).toBe(200);
  const sessionId = client.cookie?.split("=")[1] as string;
  expect(demo.pusher.rows.get(sessionId)).toEqual(subscription);
  return { client, subscription, sessionId };
}

describe("subscribing with an endpoint another session holds", () => {
  it("is refused with 409 when the keys differ, and the owner keeps its row", async () => {
    const alice = await subscribedSession();
    const other = makeSubscription(alice.subscription.endpoint);
    const variants = {
      "both keys": other.keys,
      "only auth": { p256dh: alice.subscription.keys.p256dh, auth: other.keys.auth },
      "only p256dh": { p256dh: other.keys.p256dh, auth: alice.subscription.keys.auth },
    };
    for (const [what, keys] of Object.entries(variants)) {
      const mallory = new SessionClient(demo.port);
      const answer = await mallory.post("/api/subscribe", {
        subscription: { endpoint: alice.subscription.endpoint, keys },
      });
      expect(answer.status, what).toBe(409);
      expect(answer.json.code, what).toBe("ERR_DEMO_ENDPOINT_TAKEN");
      // Neither key is echoed back: the answer says what was wrong, not what is stored.
      expect(JSON.stringify(answer.json)).not.toContain(alice.subscription.keys.auth);
      expect(demo.pusher.rows.get(alice.sessionId), what).toEqual(alice.subscription);
      expect(await demo.pusher.getIdSession(alice.subscription.endpoint)).toBe(alice.sessionId);
    }
  });

  it("moves it to the new session when the keys match (the owner came back with a new cookie)", async () => {
    const alice = await subscribedSession();
    const fresh = new SessionClient(demo.port);
    // Same keys, written with base64 padding this time: compared as bytes.
    const padded = {
      endpoint: alice.subscription.endpoint,
      keys: {
        p256dh: `${alice.subscription.keys.p256dh}=`,
        auth: `${alice.subscription.keys.auth}==`,
      },
    };
    expect((await fresh.post("/api/subscribe", { subscription: padded })).status).toBe(200);
    const freshId = fresh.cookie?.split("=")[1] as string;
    expect(await demo.pusher.getIdSession(alice.subscription.endpoint)).toBe(freshId);
    expect(demo.pusher.rows.has(alice.sessionId)).toBe(false);
  });

  it("lets a session replace its own subscription's keys", async () => {
    const alice = await subscribedSession();
    const renewed = makeSubscription(alice.subscription.endpoint);
    expect((await alice.client.post("/api/subscribe", { subscription: renewed })).status).toBe(200);
    expect(demo.pusher.rows.get(alice.sessionId)).toEqual(renewed);
  });

  it("frees the endpoint once its owner unsubscribes", async () => {
    const alice = await subscribedSession();
    expect((await alice.client.post("/api/unsubscribe")).json).toEqual({ removed: true });
    const bob = new SessionClient(demo.port);
    const answer = await bob.post("/api/subscribe", {
      subscription: makeSubscription(alice.subscription.endpoint),
    });
    expect(answer.status).toBe(200);
  });
});
