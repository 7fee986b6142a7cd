import { describe, expect, it } from "vitest";
import { arrayBufferBytes } from "./array-buffer-bytes.ts";

describe("arrayBufferBytes", () => {
  it("returns an ArrayBuffer-backed view as is (no copy on the send path)", () => {
    const bytes = new Uint8Array(new ArrayBuffer(8), 2, 4);
    expect(arrayBufferBytes(bytes)).toBe(bytes);
  });

  it("copies a view of a SharedArrayBuffer into an ArrayBuffer", () => {
    const shared = new Uint8Array(new SharedArrayBuffer(4));
    shared.set([1, 2, 3, 4]);
    const out = arrayBufferBytes(shared);
    expect(out).not.toBe(shared);
    expect(out.buffer).toBeInstanceOf(ArrayBuffer);
    expect([...out]).toEqual([1, 2, 3, 4]);
  });
});
