import { isSwpError } from "@swp/subscription";
import { describe, expect, it } from "vitest";
import { EceError } from "./errors.ts";

describe("EceError", () => {
  it("carries a stable code, a name and the cause", () => {
    const cause = new Error("inner");
    const error = new EceError("ERR_ECE_DECRYPT", "decrypt: no", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("EceError");
    expect(error.code).toBe("ERR_ECE_DECRYPT");
    expect(error.message).toBe("decrypt: no");
    expect(error.cause).toBe(cause);
  });

  it("isSwpError recognises ours and any copy's errors by the shared marker only", () => {
    expect(isSwpError(new EceError("ERR_ECE_CRYPTO", "x"))).toBe(true);
    // What another copy of any @swp package produces: a different class, the same marker.
    const foreign = Object.assign(new Error("x"), { code: "ERR_PUSH_GONE" });
    Object.defineProperty(foreign, Symbol.for("swp.error"), { value: true });
    expect(isSwpError(foreign)).toBe(true);
    expect(isSwpError(Object.assign(new Error("x"), { code: "ERR_ECE_DECRYPT" }))).toBe(false);
    expect(isSwpError(null)).toBe(false);
    expect(isSwpError("ERR_ECE_DECRYPT")).toBe(false);
  });
});
