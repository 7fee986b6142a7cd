import { describe, expect, it } from "vitest";
import { backoffDelay, MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelay } from "./backoff.ts";
import { parseReason } from "./reason.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("backoff", () => {
  it("grows exponentially with full jitter and a cap", () => {
    expect(backoffDelay(1, 0.999999)).toBe(499);
    expect(backoffDelay(2, 0.5)).toBe(500);
    expect(backoffDelay(3, 0.5)).toBe(1000);
    expect(backoffDelay(20, 0.5)).toBe(15_000);
    expect(backoffDelay(3, 0)).toBe(0);
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0);
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Tue, 01 Jan 2030 12:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("Tue, 01 Jan 2030 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("prefers Retry-After, capped at 10 minutes", () => {
    expect(retryDelay(1, 7, 0.5)).toBe(7000);
    expect(retryDelay(1, 86_400, 0.5)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryDelay(2, undefined, 0.5)).toBe(500);
  });
});

describe("parseReason", () => {
  it("reads Apple's reason", () => {
    expect(parseReason("apple", {}, bytes('{"reason":"BadWebPushTopic"}'))).toBe("BadWebPushTopic");
  });
  it("reads Mozilla's errno JSON", () => {
    const body = '{"code":410,"errno":106,"error":"Gone","message":"Request did not validate"}';
    expect(parseReason("mozilla", {}, bytes(body))).toBe("errno 106: Request did not validate");
  });
  it("reads WNS headers", () => {
    expect(
      parseReason(
        "wns",
        { "x-wns-status": "dropped", "x-wns-error-description": "Invalid cache policy" },
        bytes(""),
      ),
    ).toBe("dropped: Invalid cache policy");
  });
  it("reads Google-style JSON errors", () => {
    const body = '{"error":{"code":400,"message":"Invalid JWT","status":"INVALID_ARGUMENT"}}';
    expect(parseReason("fcm", {}, bytes(body))).toBe("Invalid JWT");
  });
  it("falls back to truncated text, and nothing for an empty body", () => {
    const reason = parseReason("other", {}, bytes(`<html>${"x".repeat(1000)}</html>`));
    expect(reason?.length).toBe(200);
    expect(reason?.endsWith("…")).toBe(true);
    expect(parseReason("other", {}, bytes("  "))).toBeUndefined();
  });
});
