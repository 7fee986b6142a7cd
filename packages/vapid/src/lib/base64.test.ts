import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64Decode, base64Encode, base64urlDecode, base64urlEncode } from "./base64.ts";

describe("base64 and base64url", () => {
  it("match Node's encoders and round-trip random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const b = Buffer.from(bytes);
        expect(base64urlEncode(bytes)).toBe(b.toString("base64url"));
        expect(base64Encode(bytes)).toBe(b.toString("base64"));
        expect(base64urlDecode(b.toString("base64url"))).toEqual(bytes);
        expect(base64Decode(b.toString("base64"))).toEqual(bytes);
      }),
    );
  });

  it("accepts padding but rejects foreign characters, bad lengths and non-zero filler bits", () => {
    expect(base64urlDecode("AQ==")).toEqual(Uint8Array.of(1));
    expect(() => base64urlDecode("A+8")).toThrow(TypeError);
    expect(() => base64urlDecode("A")).toThrow(TypeError);
    expect(() => base64urlDecode("AR")).toThrow(/non-zero bits/);
  });
});
