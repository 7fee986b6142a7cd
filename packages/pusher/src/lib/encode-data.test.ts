import { describe, expect, it } from "vitest";
import { encodeData } from "./encode-data.ts";

describe("encodeData", () => {
  it("passes strings through unchanged", () => {
    expect(encodeData("Hello World")).toBe("Hello World");
    expect(encodeData("")).toBe("");
  });

  it("sends objects, arrays and scalars as their JSON text", () => {
    expect(encodeData({ title: "hey Bob!", body: "you rock" })).toBe(
      '{"title":"hey Bob!","body":"you rock"}',
    );
    expect(encodeData([1, "two"])).toBe('[1,"two"]');
    expect(encodeData(42)).toBe("42");
    expect(encodeData(false)).toBe("false");
    expect(encodeData(null)).toBe("null");
  });

  it("passes bytes through as a Uint8Array view of the same memory", () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(encodeData(bytes)).toBe(bytes);
    const big = new Uint16Array([0x0102, 0x0304]);
    const view = encodeData(new DataView(big.buffer, 1, 2));
    expect(view).toBeInstanceOf(Uint8Array);
    expect([...(view as Uint8Array)]).toEqual([...new Uint8Array(big.buffer, 1, 2)]);
    expect([...(encodeData(new Uint8Array([9, 8]).buffer) as Uint8Array)]).toEqual([9, 8]);
  });

  it("refuses values JSON cannot carry with a TypeError naming the kind", () => {
    expect(() => encodeData(undefined)).toThrow(/got undefined/);
    expect(() => encodeData(() => 1)).toThrow(/got function/);
    expect(() => encodeData(10n)).toThrow(TypeError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => encodeData(cycle)).toThrow(/cannot be sent as JSON/);
  });

  it("checks an object with web_push: 8030 as a declarative message, and nothing else", () => {
    const notification = { title: "Hi", navigate: "https://app.example/" };
    expect(encodeData({ notification, web_push: 8030 })).toBe(
      '{"web_push":8030,"notification":{"title":"Hi","navigate":"https://app.example/"}}',
    );
    expect(() => encodeData({ web_push: 8030, notification: { title: "Hi" } })).toThrow(
      expect.objectContaining({ name: "DeclarativeError" }),
    );
    // Not 8030, or not a plain object: ordinary JSON, as before.
    expect(encodeData({ web_push: "8030", notification: { title: "Hi" } })).toBe(
      '{"web_push":"8030","notification":{"title":"Hi"}}',
    );
    expect(encodeData([{ web_push: 8030 }])).toBe('[{"web_push":8030}]');
  });
});
