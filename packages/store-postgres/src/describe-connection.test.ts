import { describe, expect, it } from "vitest";
import { describeConnection } from "./describe-connection.ts";
import { assertSchemaName, searchPath } from "./lib/schema-name.ts";

describe("describeConnection", () => {
  it("names user, host, port and database, and never the password or the query", () => {
    expect(
      describeConnection("postgres://app:s3cret@db.example.net:6543/push?sslkey=/k&password=x"),
    ).toBe("postgres://app@db.example.net:6543/push");
    expect(describeConnection("postgresql://db/push")).toBe("postgres://db/push");
    expect(describeConnection("not a url")).toBe("PostgreSQL (connection string is not a URL)");
  });
});

describe("schema names", () => {
  it("accepts plain identifiers and quotes them in SET search_path", () => {
    expect(searchPath("push_2").sql).toBe('set search_path to "push_2"');
    expect(() => assertSchemaName("a".repeat(63))).not.toThrow();
  });

  it("refuses anything that would need escaping, or is too long", () => {
    for (const bad of ['x"y', "1abc", "", "a b", "a".repeat(64), "é"]) {
      expect(() => assertSchemaName(bad)).toThrow(TypeError);
    }
    expect(() => assertSchemaName(42)).toThrow("got number");
  });
});
