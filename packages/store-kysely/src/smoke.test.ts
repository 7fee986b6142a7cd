// Imports the BUILT package by name, as a user does: catches a broken exports map or a
// file missing from dist. The specifier is a variable so typechecking does not need dist/.
import { describeSubscriptionStore } from "@swp/store/conformance";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { describe, expect, it } from "vitest";

type StoreKysely = typeof import("./index.ts");

const packageName = "@swp/store-kysely";
const built = (await import(/* @vite-ignore */ packageName)) as StoreKysely;

describeSubscriptionStore(
  "kysely store from dist, on SQLite :memory:",
  ({ now }) =>
    built.createKyselyStore(
      new Kysely({ dialect: new SqliteDialect({ database: new Database(":memory:") }) }),
      { now, destroyOnClose: true },
    ),
  { describe, it, expect },
  { clock: true },
);

describe("@swp/store-kysely (built)", () => {
  it("exports the store, the audience API, the migrations and the error mapping", () => {
    expect(typeof built.createKyselyStore).toBe("function");
    expect(typeof built.cutAudience).toBe("function");
    expect(typeof built.readAudienceRange).toBe("function");
    expect(typeof built.removeEndpoints).toBe("function");
    expect(typeof built.openKyselyStore).toBe("function");
    expect(typeof built.migrateSubscriptionStore).toBe("function");
    expect(built.MIGRATION_TABLE).toBe("swp_store_migration");
    const error = built.toStoreError(Object.assign(new Error("x"), { code: "53300" }), "db");
    expect(error).toMatchObject({ name: "StoreError", code: "ERR_STORE_BUSY", path: "db" });
  });
});
