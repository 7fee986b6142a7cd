import { describe, expect, it } from "vitest";
import { MAX_PUSH_BODY, maxPlaintextSize } from "./limits.ts";

describe("limits", () => {
  it("MAX_PUSH_BODY is the 4096 bytes of RFC 8291 §4", () => {
    expect(MAX_PUSH_BODY).toBe(4096);
  });

  it("maxPlaintextSize leaves room for header, delimiter or length prefix, tag and padding", () => {
    expect(maxPlaintextSize("aes128gcm")).toBe(3993);
    expect(maxPlaintextSize("aes128gcm", 93)).toBe(3900);
    expect(maxPlaintextSize("aesgcm")).toBe(4078);
    expect(maxPlaintextSize("aesgcm", 78)).toBe(4000);
    expect(maxPlaintextSize("aes128gcm", 3993)).toBe(0);
  });

  it("rejects impossible padding and unknown encodings", () => {
    expect(() => maxPlaintextSize("aes128gcm", 3994)).toThrow(RangeError);
    expect(() => maxPlaintextSize("aesgcm", -1)).toThrow(RangeError);
    expect(() => maxPlaintextSize("aes128gcm", Number.NaN)).toThrow(RangeError);
    expect(() => maxPlaintextSize("aes192gcm" as never)).toThrow(TypeError);
  });
});
