// Imports the BUILT package by name, as a user does: catches a broken exports map or a
// file missing from dist. Runs without PostgreSQL (the *.postgres-test.ts suites need one).
import { describe, expect, it } from "vitest";

type StorePostgres = typeof import("./index.ts");

const packageName = "@swp/store-postgres";
const built = (await import(/* @vite-ignore */ packageName)) as StorePostgres;

describe("@swp/store-postgres (built)", () => {
  it("exports the store factory and refuses options naming no database", async () => {
    expect(typeof built.createPostgresStore).toBe("function");
    await expect(built.createPostgresStore({})).rejects.toThrow(
      "a PostgreSQL database needs exactly one of { connectionString } or { pool }",
    );
    expect(built.describeConnection("postgres://u:p@h:1/d")).toBe("postgres://u@h:1/d");
  });

  it("a server that is not there is ERR_STORE_OPEN (nothing listens on port 1 of 127.0.0.1)", async () => {
    await expect(
      built.createPostgresStore({ connectionString: "postgres://u:p@127.0.0.1:1/d" }),
    ).rejects.toMatchObject({ name: "StoreError", code: "ERR_STORE_OPEN" });
  });
});
