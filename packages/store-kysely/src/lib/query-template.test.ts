import Database from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { compileTemplate } from "./query-template.ts";

describe("compileTemplate", () => {
  const db = new Kysely<Record<string, Record<string, unknown>>>({
    dialect: new SqliteDialect({ database: new Database(":memory:") }),
  });

  it("binds new values in the placeholders' places and keeps constants", () => {
    const template = compileTemplate(["a", "b"], (p) =>
      db
        .selectFrom("t")
        .selectAll()
        .where("x", "=", p("a"))
        .where("y", "=", 7)
        .where("z", "=", p("b"))
        .where("w", "=", p("a")),
    );
    const first = template({ a: "one", b: 2 });
    const second = template({ a: null, b: "two" });
    expect(first.sql).toBe(second.sql);
    expect(first.parameters).toEqual(["one", 7, 2, "one"]);
    expect(second.parameters).toEqual([null, 7, "two", null]);
  });

  it("refuses a placeholder that did not become a bound parameter", () => {
    expect(() =>
      compileTemplate(["a"], (p) => {
        p("a"); // asked for, but never put into the query
        return db.selectFrom("t").selectAll().where("x", "=", sql.lit(1));
      }),
    ).toThrow("query template parameter a is not bound");
  });
});
