import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { fromParseArgsError, UsageError } from "./usage-error.ts";

function parseError(args: string[]): unknown {
  try {
    parseArgs({
      args,
      options: { ttl: { type: "string" }, json: { type: "boolean" } },
      strict: true,
    });
  } catch (error) {
    return error;
  }
  throw new Error("expected parseArgs to throw");
}

describe("fromParseArgsError", () => {
  it("turns each parseArgs error into a short one-line usage error", () => {
    const cases: Array<[string[], string]> = [
      [["--nope"], "unknown option --nope"],
      [["extra"], "unexpected argument 'extra'"],
      [["--ttl"], "option --ttl needs a value"],
      [
        ["--ttl", "--json"],
        "option --ttl needs a value (write --ttl=<value> for one that starts with -)",
      ],
      [["--json=1"], "option '--json' does not take an argument"],
    ];
    for (const [args, message] of cases) {
      const error = fromParseArgsError(parseError(args));
      expect(error).toBeInstanceOf(UsageError);
      expect(error?.message).toBe(message);
      expect(error?.message).not.toContain("\n");
    }
  });

  it("leaves other errors alone", () => {
    expect(fromParseArgsError(new Error("disk full"))).toBeUndefined();
    expect(fromParseArgsError(undefined)).toBeUndefined();
  });
});
