import * as built from "@swp/subscription";
import { describe, expect, it } from "vitest";
import { EncodingError } from "./encoding-error.ts";
import { SubscriptionError } from "./subscription-error.ts";
import { isSwpError, SwpError } from "./swp-error.ts";

// The built package (dist/, imported by name) and these sources are two copies of the module:
// two SwpError classes, as after a duplicate install or in @swp/ece's bundle.
class OtherCopyError extends built.SwpError {
  declare readonly code: "ERR_OTHER";
  constructor() {
    super("ERR_OTHER", "from the other copy", { cause: new Error("root") });
  }
}

describe("SwpError", () => {
  it("carries code, name, message and cause", () => {
    const cause = new Error("root");
    const error = new SubscriptionError("ERR_SUBSCRIPTION_INVALID", "bad", { cause });
    expect(error.code).toBe("ERR_SUBSCRIPTION_INVALID");
    expect(error.name).toBe("SubscriptionError");
    expect(error.message).toBe("bad");
    expect(error.cause).toBe(cause);
    expect("cause" in new SwpError("ERR_X", "no cause")).toBe(false);
  });

  it("is recognised across copies by isSwpError and instanceof SwpError", () => {
    expect(built.SwpError).not.toBe(SwpError);
    const foreign = new OtherCopyError();
    expect(isSwpError(foreign)).toBe(true);
    expect(foreign instanceof SwpError).toBe(true);
    expect(built.isSwpError(new EncodingError("x"))).toBe(true);
    expect(new EncodingError("x") instanceof built.SwpError).toBe(true);
    expect(new built.SubscriptionError("ERR_SUBSCRIPTION_INVALID", "x")).toBeInstanceOf(SwpError);
  });

  it("keeps instanceof on subclasses an ordinary prototype check", () => {
    const encoding = new EncodingError("x");
    expect(encoding instanceof EncodingError).toBe(true);
    expect(encoding instanceof SubscriptionError).toBe(false);
    expect(new OtherCopyError() instanceof EncodingError).toBe(false);
    expect(new built.EncodingError("x") instanceof EncodingError).toBe(false);
  });

  it("needs both the marker and a string code", () => {
    expect(isSwpError(new Error("plain"))).toBe(false);
    expect(isSwpError({ code: "ERR_X" })).toBe(false);
    const marked = Object.assign(new Error("no code"), { [Symbol.for("swp.error")]: true });
    expect(isSwpError(marked)).toBe(false);
    expect(marked instanceof SwpError).toBe(false);
    expect(isSwpError({ [Symbol.for("swp.error")]: true, code: "ERR_X" })).toBe(true);
    expect(isSwpError(null)).toBe(false);
    expect(isSwpError("ERR_X")).toBe(false);
  });
});
