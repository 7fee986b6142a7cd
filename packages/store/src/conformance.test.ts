// The suite checked against itself: run with a minimal runner built on node:assert (not
// vitest), it passes on the reference store and fails, in the right tests, on stores that
// each break one rule of the contract.
import assert from "node:assert/strict";
import { parseSubscription, SubscriptionError } from "@swp/subscription";
import { describe, expect, it } from "vitest";
import { type ConformanceTestApi, describeSubscriptionStore } from "./conformance/index.ts";
import { createMemoryStore } from "./memory-store.ts";
import type { StoredSubscription, SubscriptionStore } from "./subscription-store.ts";

interface Outcome {
  passed: string[];
  failed: string[];
}

async function runSuite(makeStore: () => SubscriptionStore): Promise<Outcome> {
  const tests: Array<{ name: string; body: () => Promise<void> }> = [];
  const path: string[] = [];
  const api: ConformanceTestApi = {
    describe: (name, body) => {
      path.push(name);
      body();
      path.pop();
    },
    it: (name, body) => tests.push({ name: [...path.slice(1), name].join(" > "), body }),
    expect: (actual) => ({
      toBe: (expected) =>
        assert.ok(Object.is(actual, expected), `${String(actual)} is not ${String(expected)}`),
      toEqual: (expected) => assert.deepStrictEqual(actual, expected),
    }),
  };
  describeSubscriptionStore("under test", makeStore, api);
  const outcome: Outcome = { passed: [], failed: [] };
  for (const test of tests) {
    try {
      await test.body();
      outcome.passed.push(test.name);
    } catch {
      outcome.failed.push(test.name);
    }
  }
  return outcome;
}

/** A memory store with some methods replaced. */
function broken(
  patch: (inner: SubscriptionStore) => Partial<SubscriptionStore>,
): () => SubscriptionStore {
  return () => {
    const inner = createMemoryStore();
    const replaced = patch(inner);
    return {
      put: (...a) => inner.put(...a),
      remove: (s) => inner.remove(s),
      removeByEndpoint: (e) => inner.removeByEndpoint(e),
      get: (s) => inner.get(s),
      findSessionId: (e) => inner.findSessionId(e),
      list: (o) => inner.list(o),
      count: (o) => inner.count(o),
      close: () => inner.close(),
      ...replaced,
    };
  };
}

describe("describeSubscriptionStore", () => {
  it("passes on the reference store with a runner that is not vitest", async () => {
    const outcome = await runSuite(() => createMemoryStore());
    expect(outcome.failed).toEqual([]);
    expect(outcome.passed.length).toBeGreaterThan(25);
  });

  it.each([
    {
      rule: "except is honoured",
      store: broken((inner) => ({ list: (o) => inner.list({ ...o, except: undefined }) })),
      fails: [
        "list and count > list skips the session ids in except, read once from a generator",
        "list and count > list skips a large except set",
      ],
    },
    {
      rule: "groups are filtered",
      store: broken((inner) => ({ count: () => inner.count() })),
      fails: ["list and count > list and count filter by group"],
    },
    {
      rule: "each row is yielded once",
      store: broken((inner) => ({
        list: (o) =>
          (async function* (): AsyncGenerator<StoredSubscription> {
            for await (const row of inner.list(o)) {
              yield row;
              if (row.groupId === 0) yield row;
            }
          })(),
      })),
      fails: ["list and count > list yields every row exactly once, across many pages"],
    },
    {
      rule: "session ids are validated",
      store: broken((inner) => ({
        put: (s, sub, g) =>
          inner.put(typeof s === "string" && s.length > 0 ? s.slice(0, 256) : "fallback", sub, g),
      })),
      fails: ["bad input > empty, oversize and non-string session ids reject with SessionIdError"],
    },
    {
      rule: "removeByEndpoint removes",
      store: broken(() => ({ removeByEndpoint: async () => false })),
      fails: [
        "remove > removeByEndpoint deletes the row holding the endpoint",
        "list and count > removing each row as it is listed visits every row once",
      ],
    },
    {
      rule: "no transport policy in stores",
      store: broken((inner) => ({
        put: async (s, sub, g) => {
          if (!parseSubscription(sub).endpoint.startsWith("https:")) {
            throw new SubscriptionError("ERR_SUBSCRIPTION_INVALID_ENDPOINT", "https: only");
          }
          return inner.put(s, sub, g);
        },
      })),
      fails: [
        "canonical form, no transport policy > put keeps what parseSubscription accepts: http: endpoints, loopback and private hosts",
      ],
    },
    {
      rule: "endpoints are looked up in their canonical form",
      store: broken((inner) => ({
        findSessionId: async (e) => {
          if (typeof e !== "string") return inner.findSessionId(e);
          for await (const row of inner.list())
            if (row.subscription.endpoint === e) return row.sessionId;
          return undefined;
        },
      })),
      fails: [
        "canonical form, no transport policy > put keeps the canonical endpoint; lookups and moves take any spelling of it",
      ],
    },
    {
      rule: "an endpoint moves to the session id that puts it",
      store: broken((inner) => ({
        put: async (s, sub, g) => {
          // Keeps the first holder instead of moving the endpoint.
          if ((await inner.findSessionId(parseSubscription(sub))) !== undefined) return;
          return inner.put(s, sub, g);
        },
      })),
      fails: [
        "replacing and moving > put of an endpoint held by another session id moves it to the new one",
        "replacing and moving > moving an endpoint onto a session id that has another subscription leaves one row",
      ],
    },
  ])("fails where a store breaks the rule: $rule", async ({ store, fails }) => {
    const outcome = await runSuite(store);
    expect(outcome.failed).toEqual(expect.arrayContaining(fails));
    expect(outcome.passed.length).toBeGreaterThan(15);
  });
});
