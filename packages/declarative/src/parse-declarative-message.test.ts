import { describe, expect, it } from "vitest";
import { createDeclarativeMessage } from "./create-declarative-message.ts";
import { DeclarativeError } from "./errors.ts";
import { isDeclarativeMessage } from "./is-declarative-message.ts";
import { parseDeclarativeMessage } from "./parse-declarative-message.ts";
import { serializeDeclarativeMessage } from "./serialize-declarative-message.ts";

const init = {
  notification: {
    title: "Ünïcode title ✓",
    navigate: "https://app.example/inbox",
    actions: [{ action: "a", title: "A", navigate: "https://app.example/a" }],
  },
  app_badge: 2,
};

describe("parseDeclarativeMessage", () => {
  it("round-trips the serialized text and its UTF-8 bytes", () => {
    const json = serializeDeclarativeMessage(init);
    const expected = createDeclarativeMessage(init);
    expect(parseDeclarativeMessage(json)).toStrictEqual(expected);
    expect(parseDeclarativeMessage(new TextEncoder().encode(json))).toStrictEqual(expected);
  });

  it("requires web_push when reading a payload", () => {
    expect(() =>
      parseDeclarativeMessage('{"notification":{"title":"T","navigate":"https://a.example/"}}'),
    ).toThrow(
      expect.objectContaining({ code: "ERR_DECLARATIVE_MISSING_FIELD", field: "web_push" }),
    );
  });

  it("refuses text that is not JSON, and bytes that are not UTF-8", () => {
    expect(() => parseDeclarativeMessage("{not json")).toThrow(
      expect.objectContaining({ code: "ERR_DECLARATIVE_INVALID_JSON" }),
    );
    expect(() => parseDeclarativeMessage(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow(
      expect.objectContaining({ code: "ERR_DECLARATIVE_INVALID_JSON" }),
    );
  });

  it("refuses a payload over 3993 bytes before parsing it", () => {
    expect(() => parseDeclarativeMessage(" ".repeat(3994))).toThrow(
      expect.objectContaining({ code: "ERR_DECLARATIVE_TOO_LARGE", size: 3994 }),
    );
  });

  it("refuses what the builder refuses, with the same code and path", () => {
    const bad = JSON.stringify({
      web_push: 8030,
      notification: { title: "T", navigate: "http://a.example/" },
    });
    let error: unknown;
    try {
      parseDeclarativeMessage(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeclarativeError);
    expect(error).toMatchObject({
      code: "ERR_DECLARATIVE_INVALID_URL",
      field: "notification.navigate",
    });
  });

  it("throws TypeError for a payload that is neither text nor bytes", () => {
    expect(() => parseDeclarativeMessage(42 as never)).toThrow(TypeError);
  });
});

describe("isDeclarativeMessage", () => {
  it("is true for a built message and false for ordinary push JSON", () => {
    expect(isDeclarativeMessage(createDeclarativeMessage(init))).toBe(true);
    expect(isDeclarativeMessage({ title: "Hi", body: "ordinary payload" })).toBe(false);
    expect(isDeclarativeMessage({ notification: init.notification })).toBe(false);
    expect(isDeclarativeMessage({ web_push: 8030, notification: { title: "T" } })).toBe(false);
    expect(isDeclarativeMessage(null)).toBe(false);
    expect(isDeclarativeMessage("text")).toBe(false);
  });
});
