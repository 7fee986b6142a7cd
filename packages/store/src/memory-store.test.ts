import { describe, expect, it } from "vitest";
import { describeSubscriptionStore } from "./conformance/index.ts";
import { StoreError } from "./errors.ts";
import { sampleSubscription } from "./lib/sample-subscriptions.ts";
import { createMemoryStore } from "./memory-store.ts";

describeSubscriptionStore(
  "memory store",
  ({ now }) => createMemoryStore({ now }),
  { describe, it, expect },
  { clock: true },
);

describe("createMemoryStore", () => {
  it("uses Date.now when no clock is given", async () => {
    const store = createMemoryStore();
    const before = Date.now();
    await store.put("s", sampleSubscription(1));
    const row = await store.get("s");
    expect(row!.createdAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(row!.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("refuses http: endpoints unless allowHttp is set", async () => {
    const http = { ...sampleSubscription(1), endpoint: "http://127.0.0.1:8080/push/1" };
    await expect(createMemoryStore().put("s", http)).rejects.toMatchObject({
      name: "SubscriptionError",
      code: "ERR_SUBSCRIPTION_INVALID_ENDPOINT",
    });
    const store = createMemoryStore({ allowHttp: true });
    await store.put("s", http);
    expect(await store.findSessionId(http.endpoint)).toBe("s");
  });

  it("rejects with ERR_STORE_CLOSED after close, also mid-listing", async () => {
    const store = createMemoryStore();
    await store.put("a", sampleSubscription(1));
    await store.put("b", sampleSubscription(2));
    const iterator = store.list()[Symbol.asyncIterator]();
    await iterator.next();
    await store.close();
    await expect(iterator.next()).rejects.toBeInstanceOf(StoreError);
    await expect(store.count()).rejects.toMatchObject({ code: "ERR_STORE_CLOSED" });
  });
});
