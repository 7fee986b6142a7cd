// Imports the BUILT package by name, as a user does: catches a broken exports map or a
// file missing from dist.

import { describeSubscriptionStore } from "@swp/store/conformance";
import { createKyselyStore, createSqliteStore, migrateSubscriptionStore } from "@swp/store-sqlite";
import { describe, expect, it } from "vitest";

describeSubscriptionStore(
  "SQLite :memory: from dist",
  ({ now }) => createSqliteStore({ path: ":memory:", now }),
  { describe, it, expect },
  { clock: true },
);

describe("@swp/store-sqlite (built)", () => {
  it("exports the store factories and the migrator", () => {
    expect(typeof createKyselyStore).toBe("function");
    expect(typeof migrateSubscriptionStore).toBe("function");
  });
});
