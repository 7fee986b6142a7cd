import { describe, expect, it } from "vitest";
import { DeclarativeError } from "./errors.ts";
import { MAX_DECLARATIVE_SIZE } from "./limits.ts";
import { serializeDeclarativeMessage } from "./serialize-declarative-message.ts";

const navigate = "https://app.example/inbox";
const bytes = (text: string) => new TextEncoder().encode(text).length;

/** The message's JSON without the body, to size a body that lands exactly on a byte count. */
const overhead = bytes(
  JSON.stringify({ web_push: 8030, notification: { title: "T", navigate, body: "" } }),
);

describe("serializeDeclarativeMessage", () => {
  it("returns the JSON text of the built message", () => {
    const json = serializeDeclarativeMessage({
      notification: { title: "T", navigate },
      mutable: true,
    });
    expect(json).toBe(
      '{"web_push":8030,"notification":{"title":"T","navigate":"https://app.example/inbox"},"mutable":true}',
    );
    expect(JSON.parse(json)).toEqual({
      web_push: 8030,
      notification: { title: "T", navigate },
      mutable: true,
    });
  });

  it("accepts exactly 3993 bytes of UTF-8 and refuses 3994", () => {
    const atLimit = "a".repeat(MAX_DECLARATIVE_SIZE - overhead);
    expect(
      bytes(serializeDeclarativeMessage({ notification: { title: "T", navigate, body: atLimit } })),
    ).toBe(3993);
    let error: unknown;
    try {
      serializeDeclarativeMessage({ notification: { title: "T", navigate, body: `${atLimit}a` } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeclarativeError);
    expect(error).toMatchObject({ code: "ERR_DECLARATIVE_TOO_LARGE", size: 3994, limit: 3993 });
    expect((error as Error).message).toContain("3994");
    expect((error as Error).message).toContain("3993");
  });

  it("counts UTF-8 bytes, not characters: 2,000 'é' are 4,000 bytes", () => {
    const body = "é".repeat(2000);
    expect(body.length).toBeLessThan(MAX_DECLARATIVE_SIZE);
    expect(() =>
      serializeDeclarativeMessage({ notification: { title: "T", navigate, body } }),
    ).toThrow(
      expect.objectContaining({ code: "ERR_DECLARATIVE_TOO_LARGE", size: overhead + 4000 }),
    );
  });

  it("counts the escapes JSON adds (a quote costs two bytes)", () => {
    const quotes = '"'.repeat(Math.floor((MAX_DECLARATIVE_SIZE - overhead) / 2) + 1);
    expect(quotes.length).toBeLessThan(MAX_DECLARATIVE_SIZE - overhead);
    expect(() =>
      serializeDeclarativeMessage({ notification: { title: "T", navigate, body: quotes } }),
    ).toThrow(expect.objectContaining({ code: "ERR_DECLARATIVE_TOO_LARGE" }));
  });

  it("validates before it measures", () => {
    expect(() =>
      serializeDeclarativeMessage({ notification: { title: "T", navigate: "/x" } }),
    ).toThrow(expect.objectContaining({ code: "ERR_DECLARATIVE_INVALID_URL" }));
  });
});
