// Imports the BUILT package by name, as a user does: catches a broken exports map or a
// file missing from dist. The specifier is a variable so typechecking does not need dist/.
import { describeSubscriptionStore } from "@swp/store/conformance";
import { describe, expect, it } from "vitest";

type StoreSqlite = typeof import("./index.ts");

const packageName = "@swp/store-sqlite";
const built = (await import(/* @vite-ignore */ packageName)) as StoreSqlite;

describeSubscriptionStore(
  "SQLite :memory: from dist",
  ({ now }) => built.createSqliteStore({ path: ":memory:", now }),
  { describe, it, expect },
  { clock: true },
);

describe("@swp/store-sqlite (built)", () => {
  it("exports the store factories and the migrator", () => {
    expect(typeof built.createKyselyStore).toBe("function");
    expect(typeof built.migrateSubscriptionStore).toBe("function");
  });
});
