// The custom store of the README (examples/custom-store.mjs) is a real, tested file: it must
// pass the store contract's conformance suite, work under a Pusher, and be what the README shows.
import { readFileSync } from "node:fs";
import { describeSubscriptionStore } from "@swp/store/conformance";
import Database from "better-sqlite3";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

type CreateTableStore = (
  db: Database.Database,
  options?: { now?: () => number },
) => import("@swp/store").SubscriptionStore;

const exampleUrl = new URL("../examples/custom-store.mjs", import.meta.url);
const { createTableStore } = (await import(exampleUrl.href)) as {
  createTableStore: CreateTableStore;
};

const databases: Database.Database[] = [];
afterAll(() => {
  for (const db of databases) db.close();
});

describeSubscriptionStore(
  "README custom store (push_subscriptions table on better-sqlite3)",
  ({ now }) => {
    const db = new Database(":memory:");
    databases.push(db);
    return createTableStore(db, { now });
  },
  { describe, it, expect, beforeEach },
  { clock: true },
);

describe("the README's custom store", () => {
  it("is the file examples/custom-store.mjs, verbatim", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const source = readFileSync(exampleUrl, "utf8");
    const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toContain(source);
  });

  it("leaves the caller's database open when the store closes", async () => {
    const db = new Database(":memory:");
    databases.push(db);
    const store = createTableStore(db);
    await store.close();
    expect(db.open).toBe(true);
    await expect(store.count()).rejects.toMatchObject({ code: "ERR_STORE_CLOSED" });
  });
});
