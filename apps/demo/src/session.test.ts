import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { ensureSession, parseCookies, SESSION_COOKIE } from "./session.ts";

function exchange(cookie?: string) {
  const set: string[] = [];
  const req = { headers: cookie === undefined ? {} : { cookie } } as IncomingMessage;
  const res = {
    setHeader: (_name: string, value: string) => set.push(value),
  } as unknown as ServerResponse;
  return { sessionId: ensureSession(req, res), set };
}

describe("sessions", () => {
  it("parses a Cookie header, first value winning", () => {
    expect(parseCookies("a=1; b = 2;c=3; a=9; junk")).toEqual(
      new Map([
        ["a", "1"],
        ["b", "2"],
        ["c", "3"],
      ]),
    );
  });

  it("makes a random id and sets the cookie on the first visit only", () => {
    const first = exchange();
    expect(first.sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(first.set).toEqual([
      `${SESSION_COOKIE}=${first.sessionId}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000`,
    ]);
    expect(exchange().sessionId).not.toBe(first.sessionId);
    const again = exchange(`other=1; ${SESSION_COOKIE}=${first.sessionId}`);
    expect(again).toEqual({ sessionId: first.sessionId, set: [] });
  });

  it("replaces a malformed session cookie instead of trusting it", () => {
    const forged = exchange(`${SESSION_COOKIE}=../../etc`);
    expect(forged.sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(forged.set).toHaveLength(1);
  });
});
