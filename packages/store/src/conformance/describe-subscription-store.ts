import type { PushSubscription } from "@swp/subscription";
import { sampleSubscription } from "../lib/sample-subscriptions.ts";
import type { StoredSubscription, SubscriptionStore } from "../subscription-store.ts";

/**
 * The assertions the suite uses: the subset of `expect(actual)` that vitest, jest and
 * their look-alikes share.
 */
export interface ConformanceMatchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
}

/**
 * The test functions of your runner, passed in so that `@swp/store` depends on none.
 * With vitest: `import { describe, it, expect } from "vitest"` and pass `{ describe, it, expect }`.
 */
export interface ConformanceTestApi {
  describe: (name: string, body: () => void) => void;
  it: (name: string, body: () => Promise<void>) => void;
  expect: (actual: unknown) => ConformanceMatchers;
  /** Accepted for symmetry with runners' APIs; the suite opens and closes a store per test. */
  beforeEach?: (body: () => unknown) => void;
  /** Accepted for symmetry with runners' APIs; the suite opens and closes a store per test. */
  afterEach?: (body: () => unknown) => void;
}

/**
 * Handed to `makeStore` for every test: a manual clock. Wire `now` into your store when
 * it takes a clock and pass `{ clock: true }` to check timestamps exactly.
 */
export interface ConformanceContext {
  /** Milliseconds since the epoch; starts at 2024-01-01T00:00:00Z and moves only by `advance`. */
  now(): number;
  /** Moves the clock forward. */
  advance(ms: number): void;
}

/**
 * Options of {@link describeSubscriptionStore}.
 *
 * @example
 * ```ts
 * describeSubscriptionStore("my store", ({ now }) => createMyStore({ now }), t, { clock: true })
 * ```
 */
export interface ConformanceOptions {
  /**
   * The store takes its timestamps from `context.now`: adds tests that `createdAt` and
   * `updatedAt` are exactly the clock's values. Default false (timestamps are then only
   * checked for order and for `createdAt` being kept).
   */
  clock?: boolean;
  /**
   * Rows in the "large `except` set" test (at least 1,000 so that stores that switch
   * strategy for large sets are exercised). Default 1,500.
   */
  largeExceptRows?: number;
}

const CLOCK_START = Date.UTC(2024, 0, 1);

/** What a rejection looked like, in a shape `toEqual` compares with a clear diff. */
function errorShape(error: unknown): { name: string; code: unknown } | "resolved" {
  if (error === RESOLVED) return "resolved";
  const e = error as { name?: unknown; code?: unknown } | null;
  return { name: String(e?.name), code: e?.code };
}

const RESOLVED = Symbol("resolved");

async function rejectionOf(run: () => unknown): Promise<unknown> {
  try {
    const value = run();
    // `list()` may throw at the call or on iteration; drain it to find out.
    if (value !== null && typeof value === "object" && Symbol.asyncIterator in value) {
      for await (const _ of value as AsyncIterable<unknown>);
    } else {
      await value;
    }
    return RESOLVED;
  } catch (error) {
    return error;
  }
}

async function collect(rows: AsyncIterable<StoredSubscription>): Promise<StoredSubscription[]> {
  const out: StoredSubscription[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

function sortedIds(rows: StoredSubscription[]): string[] {
  return rows.map((row) => row.sessionId).sort();
}

/** Fields the contract promises back; `expirationTime` absent and null are the same. */
function canonical(subscription: PushSubscription): unknown {
  return {
    endpoint: subscription.endpoint,
    keys: { p256dh: subscription.keys.p256dh, auth: subscription.keys.auth },
    expirationTime: subscription.expirationTime ?? null,
  };
}

function id(n: number): string {
  return `session-${String(n).padStart(5, "0")}`;
}

/**
 * Registers the subscription store conformance suite: every rule of the
 * `SubscriptionStore` contract, as tests in your runner. `makeStore` is called once per
 * test and must return an empty store; the suite closes it at the end of the test.
 *
 * @example
 * ```ts
 * // my-store.test.ts
 * import { describe, it, expect } from "vitest"
 * import { describeSubscriptionStore } from "@swp/store/conformance"
 * import { createMyStore } from "./my-store.ts"
 *
 * describeSubscriptionStore("my store", () => createMyStore(), { describe, it, expect })
 * ```
 */
export function describeSubscriptionStore(
  name: string,
  makeStore: (context: ConformanceContext) => Promise<SubscriptionStore> | SubscriptionStore,
  t: ConformanceTestApi,
  options: ConformanceOptions = {},
): void {
  const { describe, expect } = t;
  const largeExceptRows = Math.max(1000, options.largeExceptRows ?? 1500);

  /** Registers a test that gets a fresh store (closed afterwards) and its clock. */
  function test(
    title: string,
    body: (store: SubscriptionStore, clock: ConformanceContext) => Promise<void>,
  ): void {
    t.it(title, async () => {
      let time = CLOCK_START;
      const clock: ConformanceContext = {
        now: () => time,
        advance: (ms) => {
          time += ms;
        },
      };
      const store = await makeStore(clock);
      try {
        await body(store, clock);
      } finally {
        await store.close();
      }
    });
  }

  describe(`SubscriptionStore contract: ${name}`, () => {
    describe("put and get", () => {
      test("get returns what put stored, in group 0 by default", async (store) => {
        await store.put(id(1), sampleSubscription(1));
        const row = await store.get(id(1));
        expect(row === undefined).toBe(false);
        expect(row?.sessionId).toBe(id(1));
        expect(canonical(row!.subscription)).toEqual(canonical(sampleSubscription(1)));
        expect(row?.groupId).toBe(0);
        expect(row?.createdAt instanceof Date).toBe(true);
        expect(row?.updatedAt instanceof Date).toBe(true);
        expect(row!.updatedAt.getTime() >= row!.createdAt.getTime()).toBe(true);
      });

      test("get returns undefined for a session id never stored", async (store) => {
        expect(await store.get("nobody")).toBe(undefined);
      });

      test("put accepts JSON text, a plain object and an object with toJSON", async (store) => {
        await store.put(id(1), JSON.stringify(sampleSubscription(1)));
        await store.put(id(2), { ...sampleSubscription(2) });
        await store.put(id(3), { toJSON: () => sampleSubscription(3) });
        for (const n of [1, 2, 3]) {
          const row = await store.get(id(n));
          expect(canonical(row!.subscription)).toEqual(canonical(sampleSubscription(n)));
        }
      });

      test("put stores the group id, including negative and large ones", async (store) => {
        await store.put(id(1), sampleSubscription(1), 7);
        await store.put(id(2), sampleSubscription(2), -3);
        await store.put(id(3), sampleSubscription(3), 2 ** 40);
        expect((await store.get(id(1)))?.groupId).toBe(7);
        expect((await store.get(id(2)))?.groupId).toBe(-3);
        expect((await store.get(id(3)))?.groupId).toBe(2 ** 40);
      });

      test("expirationTime round-trips as a number, and null when absent", async (store) => {
        const expires = Date.UTC(2030, 5, 1, 12, 0, 0, 123);
        await store.put(id(1), sampleSubscription(1, expires));
        await store.put(id(2), sampleSubscription(2, null));
        await store.put(id(3), sampleSubscription(3));
        expect((await store.get(id(1)))?.subscription.expirationTime).toBe(expires);
        expect((await store.get(id(2)))?.subscription.expirationTime ?? null).toBe(null);
        expect((await store.get(id(3)))?.subscription.expirationTime ?? null).toBe(null);
      });

      test("put stores keys in canonical base64url (padding removed)", async (store) => {
        const padded = sampleSubscription(1);
        padded.keys = { p256dh: `${padded.keys.p256dh}=`, auth: `${padded.keys.auth}==` };
        await store.put(id(1), padded);
        const row = await store.get(id(1));
        expect(row?.subscription.keys).toEqual(sampleSubscription(1).keys);
      });

      test("values returned are snapshots, not views of the store", async (store) => {
        await store.put(id(1), sampleSubscription(1), 1);
        const first = await store.get(id(1));
        first!.subscription.endpoint = "https://push.example.net/changed";
        first!.subscription.keys.auth = "changed";
        first!.groupId = 99;
        first!.createdAt.setTime(0);
        const again = await store.get(id(1));
        expect(canonical(again!.subscription)).toEqual(canonical(sampleSubscription(1)));
        expect(again?.groupId).toBe(1);
        expect(again!.createdAt.getTime() === 0).toBe(false);
        const input = sampleSubscription(2);
        await store.put(id(2), input);
        input.endpoint = "https://push.example.net/mutated-after-put";
        expect((await store.get(id(2)))?.subscription.endpoint).toBe(
          sampleSubscription(2).endpoint,
        );
      });
    });

    describe("canonical form, no transport policy", () => {
      test("put keeps what parseSubscription accepts: http: endpoints, loopback and private hosts", async (store) => {
        // Whether such an endpoint may be used is the sender's policy (allowHttp, the
        // address checks), decided at send time; a store keeps the subscription.
        const endpoints = [
          "http://push.example.net/wpush/plain-http",
          "https://127.0.0.1:8443/push/loopback",
          "http://[::1]:8080/push/ipv6-loopback",
          "https://10.1.2.3/push/private",
          "https://push.internal/push/on-premise",
        ];
        for (const [n, endpoint] of endpoints.entries()) {
          await store.put(id(n), { ...sampleSubscription(n), endpoint });
        }
        for (const [n, endpoint] of endpoints.entries()) {
          expect((await store.get(id(n)))?.subscription.endpoint).toBe(endpoint);
          expect(await store.findSessionId(endpoint)).toBe(id(n));
        }
        expect(await store.count()).toBe(endpoints.length);
      });

      test("put keeps the canonical endpoint; lookups and moves take any spelling of it", async (store) => {
        const spelled = "HTTPS://Push.Example.NET:443/wpush/v2/canonical";
        const canonicalForm = "https://push.example.net/wpush/v2/canonical";
        await store.put(id(1), { ...sampleSubscription(1), endpoint: spelled });
        expect((await store.get(id(1)))?.subscription.endpoint).toBe(canonicalForm);
        expect(await store.findSessionId(spelled)).toBe(id(1));
        expect(await store.findSessionId(canonicalForm)).toBe(id(1));
        expect(
          await store.findSessionId({
            ...sampleSubscription(1),
            endpoint: "https://PUSH.example.net/wpush/v2/canonical",
          }),
        ).toBe(id(1));
        // The same endpoint spelled otherwise is the same endpoint: it moves.
        await store.put(id(2), { ...sampleSubscription(2), endpoint: canonicalForm });
        expect(await store.get(id(1))).toBe(undefined);
        expect(await store.count()).toBe(1);
        expect(await store.removeByEndpoint(spelled)).toBe(true);
        expect(await store.count()).toBe(0);
      });
    });

    describe("replacing and moving", () => {
      test("put on an existing session id replaces subscription and group, keeps createdAt", async (store, clock) => {
        await store.put(id(1), sampleSubscription(1), 1);
        const before = await store.get(id(1));
        clock.advance(60_000);
        await store.put(id(1), sampleSubscription(2), 2);
        const after = await store.get(id(1));
        expect(canonical(after!.subscription)).toEqual(canonical(sampleSubscription(2)));
        expect(after?.groupId).toBe(2);
        expect(after?.createdAt.getTime()).toBe(before?.createdAt.getTime());
        expect(after!.updatedAt.getTime() >= before!.updatedAt.getTime()).toBe(true);
        expect(await store.count()).toBe(1);
        // The old endpoint is no longer stored anywhere.
        expect(await store.findSessionId(sampleSubscription(1).endpoint)).toBe(undefined);
        expect(await store.findSessionId(sampleSubscription(2).endpoint)).toBe(id(1));
      });

      test("put of an endpoint held by another session id moves it to the new one", async (store) => {
        await store.put(id(1), sampleSubscription(1), 3);
        await store.put(id(2), sampleSubscription(1), 4);
        expect(await store.get(id(1))).toBe(undefined);
        expect((await store.get(id(2)))?.groupId).toBe(4);
        expect(await store.findSessionId(sampleSubscription(1).endpoint)).toBe(id(2));
        expect(await store.count()).toBe(1);
      });

      test("moving an endpoint onto a session id that has another subscription leaves one row", async (store) => {
        await store.put(id(1), sampleSubscription(1));
        await store.put(id(2), sampleSubscription(2));
        await store.put(id(2), sampleSubscription(1));
        expect(await store.get(id(1))).toBe(undefined);
        expect((await store.get(id(2)))?.subscription.endpoint).toBe(
          sampleSubscription(1).endpoint,
        );
        expect(await store.findSessionId(sampleSubscription(2).endpoint)).toBe(undefined);
        expect(await store.count()).toBe(1);
      });

      test("putting the same subscription again changes nothing but updatedAt", async (store) => {
        await store.put(id(1), sampleSubscription(1), 5);
        await store.put(id(1), sampleSubscription(1), 5);
        expect(await store.count()).toBe(1);
        expect((await store.get(id(1)))?.groupId).toBe(5);
      });

      test("concurrent puts all land; concurrent moves of one endpoint leave one row", async (store) => {
        await Promise.all(
          Array.from({ length: 40 }, (_, n) => store.put(id(n), sampleSubscription(n))),
        );
        expect(await store.count()).toBe(40);
        await Promise.all(
          Array.from({ length: 10 }, (_, n) => store.put(`mover-${n}`, sampleSubscription(1000))),
        );
        expect(await store.count()).toBe(41);
        const holder = await store.findSessionId(sampleSubscription(1000).endpoint);
        expect(typeof holder).toBe("string");
        expect((await store.get(holder!))?.subscription.endpoint).toBe(
          sampleSubscription(1000).endpoint,
        );
      });
    });

    describe("bad input", () => {
      test("an invalid subscription rejects with SubscriptionError and stores nothing", async (store) => {
        await store.put(id(1), sampleSubscription(1), 1);
        const broken = [
          "not json",
          "{}",
          { endpoint: "ftp://push.example.net/x", keys: sampleSubscription(2).keys },
          { endpoint: sampleSubscription(2).endpoint, keys: { p256dh: "AAAA", auth: "AAAA" } },
          { endpoint: sampleSubscription(2).endpoint },
        ];
        for (const input of broken) {
          const error = await rejectionOf(() => store.put(id(2), input));
          expect(errorShape(error)).toEqual({
            name: "SubscriptionError",
            code: (error as { code?: unknown })?.code,
          });
          expect(String((error as { code?: unknown })?.code).startsWith("ERR_SUBSCRIPTION")).toBe(
            true,
          );
        }
        // Replacing with something invalid keeps what was there.
        const error = await rejectionOf(() => store.put(id(1), "{}", 2));
        expect(errorShape(error)).toEqual({
          name: "SubscriptionError",
          code: "ERR_SUBSCRIPTION_MISSING_FIELD",
        });
        expect(await store.count()).toBe(1);
        expect((await store.get(id(1)))?.groupId).toBe(1);
      });

      test("empty, oversize and non-string session ids reject with SessionIdError", async (store) => {
        const sessionIdError = { name: "SessionIdError", code: "ERR_STORE_SESSION_ID" };
        const bad: unknown[] = ["", "x".repeat(257), "🔔".repeat(257), undefined, null, 42, {}];
        for (const sessionId of bad) {
          const s = sessionId as string;
          expect(errorShape(await rejectionOf(() => store.put(s, sampleSubscription(1))))).toEqual(
            sessionIdError,
          );
          expect(errorShape(await rejectionOf(() => store.get(s)))).toEqual(sessionIdError);
          expect(errorShape(await rejectionOf(() => store.remove(s)))).toEqual(sessionIdError);
        }
        expect(await store.count()).toBe(0);
      });

      test("session ids up to 256 characters are accepted, counted in code points", async (store) => {
        await store.put("x".repeat(256), sampleSubscription(1));
        await store.put("🔔".repeat(256), sampleSubscription(2)); // 512 UTF-16 units
        expect((await store.get("x".repeat(256)))?.sessionId).toBe("x".repeat(256));
        expect((await store.get("🔔".repeat(256)))?.sessionId).toBe("🔔".repeat(256));
      });

      test("session ids are opaque text: quotes, SQL, spaces, unicode", async (store) => {
        const odd = [
          "o'brien",
          'say "hi"',
          "x'); DROP TABLE subscriptions; --",
          " padded ",
          "Ωμέγα",
          "%_*",
        ];
        for (const [n, sessionId] of odd.entries())
          await store.put(sessionId, sampleSubscription(n));
        for (const [n, sessionId] of odd.entries()) {
          expect((await store.get(sessionId))?.subscription.endpoint).toBe(
            sampleSubscription(n).endpoint,
          );
        }
        expect(sortedIds(await collect(store.list()))).toEqual([...odd].sort());
        expect(await store.get("%")).toBe(undefined);
      });

      test("a group id that is not a safe integer is a TypeError", async (store) => {
        for (const groupId of [1.5, Number.NaN, "1", 2 ** 53]) {
          const error = await rejectionOf(() =>
            store.put(id(1), sampleSubscription(1), groupId as number),
          );
          expect(errorShape(error)).toEqual({ name: "TypeError", code: undefined });
        }
        expect(await store.count()).toBe(0);
      });

      test("list rejects a pageSize that is not a positive integer", async (store) => {
        await store.put(id(1), sampleSubscription(1));
        for (const pageSize of [0, -1, 1.5, Number.NaN]) {
          expect(errorShape(await rejectionOf(() => store.list({ pageSize })))).toEqual({
            name: "RangeError",
            code: undefined,
          });
        }
      });
    });

    describe("remove", () => {
      test("remove deletes the row and returns true once, then false", async (store) => {
        await store.put(id(1), sampleSubscription(1));
        await store.put(id(2), sampleSubscription(2));
        expect(await store.remove(id(1))).toBe(true);
        expect(await store.remove(id(1))).toBe(false);
        expect(await store.get(id(1))).toBe(undefined);
        expect(await store.findSessionId(sampleSubscription(1).endpoint)).toBe(undefined);
        expect(await store.count()).toBe(1);
      });

      test("removeByEndpoint deletes the row holding the endpoint", async (store) => {
        await store.put(id(1), sampleSubscription(1));
        await store.put(id(2), sampleSubscription(2));
        expect(await store.removeByEndpoint(sampleSubscription(2).endpoint)).toBe(true);
        expect(await store.removeByEndpoint(sampleSubscription(2).endpoint)).toBe(false);
        expect(await store.removeByEndpoint("https://push.example.net/unknown")).toBe(false);
        expect(await store.get(id(2))).toBe(undefined);
        expect((await store.get(id(1)))?.sessionId).toBe(id(1));
      });

      test("a removed endpoint can be stored again", async (store) => {
        await store.put(id(1), sampleSubscription(1));
        await store.remove(id(1));
        await store.put(id(2), sampleSubscription(1));
        expect(await store.findSessionId(sampleSubscription(1).endpoint)).toBe(id(2));
      });
    });

    describe("findSessionId", () => {
      test("finds by endpoint, by subscription object and by JSON text", async (store) => {
        await store.put(id(1), sampleSubscription(1));
        await store.put(id(2), sampleSubscription(2));
        expect(await store.findSessionId(sampleSubscription(2).endpoint)).toBe(id(2));
        expect(await store.findSessionId(sampleSubscription(2))).toBe(id(2));
        expect(await store.findSessionId(JSON.stringify(sampleSubscription(1)))).toBe(id(1));
      });

      test("returns undefined for an endpoint not stored", async (store) => {
        await store.put(id(1), sampleSubscription(1));
        expect(await store.findSessionId(sampleSubscription(3).endpoint)).toBe(undefined);
        expect(await store.findSessionId(sampleSubscription(3))).toBe(undefined);
        expect(await store.findSessionId(`${sampleSubscription(1).endpoint}/suffix`)).toBe(
          undefined,
        );
      });
    });

    describe("list and count", () => {
      test("list yields every row exactly once, across many pages", async (store) => {
        for (let n = 0; n < 23; n++) await store.put(id(n), sampleSubscription(n), n % 3);
        const rows = await collect(store.list({ pageSize: 4 }));
        expect(rows.length).toBe(23);
        expect(sortedIds(rows)).toEqual(Array.from({ length: 23 }, (_, n) => id(n)));
        for (const row of rows) {
          const n = Number(row.sessionId.slice("session-".length));
          expect(canonical(row.subscription)).toEqual(canonical(sampleSubscription(n)));
          expect(row.groupId).toBe(n % 3);
        }
        expect(sortedIds(await collect(store.list()))).toEqual(sortedIds(rows));
        expect(sortedIds(await collect(store.list({ pageSize: 1 })))).toEqual(sortedIds(rows));
      });

      test("list of an empty store yields nothing", async (store) => {
        expect(await collect(store.list())).toEqual([]);
        expect(await store.count()).toBe(0);
      });

      test("list and count filter by group", async (store) => {
        for (let n = 0; n < 12; n++) await store.put(id(n), sampleSubscription(n), n % 3);
        const group1 = await collect(store.list({ groupId: 1, pageSize: 2 }));
        expect(sortedIds(group1)).toEqual([id(1), id(4), id(7), id(10)]);
        expect(await collect(store.list({ groupId: 9 }))).toEqual([]);
        expect(await store.count()).toBe(12);
        expect(await store.count({ groupId: 1 })).toBe(4);
        expect(await store.count({ groupId: 9 })).toBe(0);
      });

      test("list skips the session ids in except, read once from a generator", async (store) => {
        for (let n = 0; n < 10; n++) await store.put(id(n), sampleSubscription(n), n % 2);
        let reads = 0;
        function* except(): Generator<string> {
          reads++;
          yield id(2);
          yield id(3);
          yield "not-stored";
        }
        const rows = await collect(store.list({ except: except(), pageSize: 3 }));
        expect(reads).toBe(1);
        expect(sortedIds(rows)).toEqual([0, 1, 4, 5, 6, 7, 8, 9].map(id));
        const group0 = await collect(store.list({ groupId: 0, except: [id(2), id(4)] }));
        expect(sortedIds(group0)).toEqual([0, 6, 8].map(id));
        expect(sortedIds(await collect(store.list({ except: [] })))).toEqual(
          Array.from({ length: 10 }, (_, n) => id(n)),
        );
      });

      test("list skips a large except set", async (store) => {
        for (let n = 0; n < largeExceptRows; n++) await store.put(id(n), sampleSubscription(n));
        // Everything but every 100th row is excluded, plus ids that are not stored.
        const except = new Set<string>();
        for (let n = 0; n < largeExceptRows; n++) if (n % 100 !== 0) except.add(id(n));
        for (let n = 0; n < 500; n++) except.add(`absent-${n}`);
        const rows = await collect(store.list({ except, pageSize: 50 }));
        const expected: string[] = [];
        for (let n = 0; n < largeExceptRows; n += 100) expected.push(id(n));
        expect(sortedIds(rows)).toEqual(expected);
      });

      test("removing each row as it is listed visits every row once", async (store) => {
        for (let n = 0; n < 17; n++) await store.put(id(n), sampleSubscription(n));
        const seen: string[] = [];
        for await (const row of store.list({ pageSize: 5 })) {
          seen.push(row.sessionId);
          expect(await store.removeByEndpoint(row.subscription.endpoint)).toBe(true);
        }
        expect(seen.sort()).toEqual(Array.from({ length: 17 }, (_, n) => id(n)));
        expect(await store.count()).toBe(0);
      });

      test("rows removed ahead of the listing do not disturb the others", async (store) => {
        for (let n = 0; n < 20; n++) await store.put(id(n), sampleSubscription(n));
        const seen: string[] = [];
        for await (const row of store.list({ pageSize: 3 })) {
          seen.push(row.sessionId);
          if (seen.length === 1) {
            // Remove every even row but the one in hand. A store may still yield those
            // it had already read; every odd row must come exactly once.
            for (let n = 0; n < 20; n += 2) if (id(n) !== row.sessionId) await store.remove(id(n));
          }
        }
        expect(new Set(seen).size).toBe(seen.length);
        const odd = Array.from({ length: 10 }, (_, k) => id(2 * k + 1));
        const first = seen[0]!;
        expect(seen.filter((s) => odd.includes(s)).sort()).toEqual(odd);
        expect(seen.filter((s) => !odd.includes(s) && s !== first).length <= 3).toBe(true);
      });

      test("leaving a listing early leaves the store usable", async (store) => {
        for (let n = 0; n < 10; n++) await store.put(id(n), sampleSubscription(n));
        let taken = 0;
        for await (const _ of store.list({ pageSize: 3 })) {
          if (++taken === 2) break;
        }
        await store.put(id(10), sampleSubscription(10));
        expect(await store.count()).toBe(11);
        expect((await collect(store.list())).length).toBe(11);
      });
    });

    describe("close", () => {
      test("close can be called twice; methods reject after it", async (store) => {
        await store.put(id(1), sampleSubscription(1));
        await store.close();
        await store.close();
        expect(errorShape(await rejectionOf(() => store.get(id(1)))) === "resolved").toBe(false);
        expect(
          errorShape(await rejectionOf(() => store.put(id(2), sampleSubscription(2)))) ===
            "resolved",
        ).toBe(false);
        expect(errorShape(await rejectionOf(() => store.list())) === "resolved").toBe(false);
      });
    });

    if (options.clock === true) {
      describe("timestamps from the injected clock", () => {
        test("createdAt and updatedAt are the clock's time of the first and last put", async (store, clock) => {
          const t0 = clock.now();
          await store.put(id(1), sampleSubscription(1));
          let row = await store.get(id(1));
          expect(row?.createdAt.getTime()).toBe(t0);
          expect(row?.updatedAt.getTime()).toBe(t0);
          clock.advance(90_000);
          await store.put(id(1), sampleSubscription(2), 3);
          row = await store.get(id(1));
          expect(row?.createdAt.getTime()).toBe(t0);
          expect(row?.updatedAt.getTime()).toBe(t0 + 90_000);
          clock.advance(1_000);
          await store.put(id(2), sampleSubscription(2));
          row = await store.get(id(2));
          // The endpoint moved onto a session id stored for the first time now.
          expect(row?.createdAt.getTime()).toBe(t0 + 91_000);
          const listed = await collect(store.list());
          expect(listed.map((r) => r.updatedAt.getTime())).toEqual([t0 + 91_000]);
        });
      });
    }
  });
}
