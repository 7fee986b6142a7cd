import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64urlDecode, base64urlEncode } from "./base64url.ts";

const ascii = (s: string) => new TextEncoder().encode(s);

describe("base64url", () => {
  it("matches the RFC 4648 §10 vectors (unpadded)", () => {
    const vectors: [string, string][] = [
      ["", ""],
      ["f", "Zg"],
      ["fo", "Zm8"],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg"],
      ["fooba", "Zm9vYmE"],
      ["foobar", "Zm9vYmFy"],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base64urlEncode(ascii(plain))).toBe(encoded);
      expect(base64urlDecode(encoded)).toEqual(ascii(plain));
    }
  });

  it("uses - and _ and accepts optional = padding", () => {
    expect(base64urlEncode(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe("-_-_");
    expect(base64urlDecode("-_8")).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(base64urlDecode("Zg==")).toEqual(ascii("f"));
    expect(base64urlDecode("Zm8=")).toEqual(ascii("fo"));
  });

  it("throws a TypeError for characters outside the alphabet and impossible lengths", () => {
    for (const bad of ["Zm+v", "Zm/v", "Zm 9v", "Zm9v\n", "Zé9v", "Zm9vY", "Z===", "Zg=", "=Zg"]) {
      expect(() => base64urlDecode(bad), bad).toThrow(TypeError);
    }
    expect(() => base64urlDecode("ab+c")).toThrow(/character "\+" at index 2 is not base64url/);
    expect(() => base64urlDecode(42 as never)).toThrow(TypeError);
    expect(() => base64urlEncode("text" as never)).toThrow(TypeError);
  });

  it("round-trips any bytes and agrees with Node's encoder", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = base64urlEncode(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString("base64url"));
        expect(base64urlDecode(encoded)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });
});
