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
