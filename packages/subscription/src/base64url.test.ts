import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64Decode, base64Encode, base64urlDecode, base64urlEncode } from "./base64url.ts";
import { EncodingError } from "./encoding-error.ts";
import { isSwpError } from "./swp-error.ts";

const ascii = (s: string) => new TextEncoder().encode(s);

describe("base64url", () => {
  it("matches the RFC 4648 section 10 vectors (unpadded)", () => {
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

  it("uses - and _ and accepts complete = padding", () => {
    expect(base64urlEncode(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe("-_-_");
    expect(base64urlDecode("-_8")).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(base64urlDecode("Zg==")).toEqual(ascii("f"));
    expect(base64urlDecode("Zm8=")).toEqual(ascii("fo"));
  });

  it("throws one EncodingError for anything but canonical base64url", () => {
    const bad = [
      "Zm+v",
      "Zm/v",
      "Zm 9v",
      "Zm9v\n",
      "Zé9v",
      "Zm9vY",
      "Z===",
      "Zg=",
      "=Zg",
      "Zh",
      "AR",
    ];
    for (const text of bad) {
      let error: unknown;
      try {
        base64urlDecode(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(EncodingError);
      expect(isSwpError(error)).toBe(true);
      expect((error as EncodingError).code).toBe("ERR_ENCODING");
    }
    expect(() => base64urlDecode("AR")).toThrow(/non-zero bits/);
    expect(() => base64urlDecode(42 as never)).toThrow(EncodingError);
    expect(() => base64urlEncode("text" as never)).toThrow(EncodingError);
  });

  it("never echoes the text it refuses (it may be a secret)", () => {
    const secret = "tBHItJI5svbpez7KI4CCXg+";
    expect(() => base64urlDecode(secret)).toThrow(/index 22 is not base64url$/);
  });

  it("decodes only canonical text: whatever decodes re-encodes to itself, unpadded", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/), (text) => {
        let bytes: Uint8Array;
        try {
          bytes = base64urlDecode(text);
        } catch (e) {
          expect(e).toBeInstanceOf(EncodingError);
          return;
        }
        expect(base64urlEncode(bytes)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe.each([
  ["base64url", base64urlEncode, base64urlDecode],
  ["base64", base64Encode, base64Decode],
] as const)("%s", (name, encode, decode) => {
  it("round-trips any bytes and agrees with Node's encoder", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = encode(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString(name));
        expect(decode(encoded)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });
});

describe("base64 (standard alphabet, for PEM)", () => {
  it("refuses the url-safe alphabet", () => {
    expect(base64Decode("+/8=")).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(() => base64Decode("-_8")).toThrow(EncodingError);
  });
});
