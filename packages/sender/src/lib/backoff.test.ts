import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  checkClockReading,
  MAX_RETRY_AFTER_MS,
  parseHttpDate,
  parseRetryAfter,
  retryDelay,
} from "./backoff.ts";
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

  // RFC 9110 section 5.6.7's own example instant, in each of its three forms.
  const now = Date.UTC(1994, 10, 6, 8, 49, 0);
  it.each([
    ["delta-seconds", "120", 120],
    ["delta-seconds with leading zeros", "007", 7],
    ["delta-seconds, surrounding whitespace", " \t37 ", 37],
    ["IMF-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT", 37],
    ["rfc850-date", "Sunday, 06-Nov-94 08:49:37 GMT", 37],
    ["asctime-date, space-padded day", "Sun Nov  6 08:49:37 1994", 37],
    ["asctime-date, two-digit day", "Sun Nov 06 08:49:37 1994", 37],
    ["a date in the past", "Sat, 05 Nov 1994 08:49:37 GMT", 0],
    ["a leap second", "Sun, 06 Nov 1994 08:49:60 GMT", 60],
  ])("accepts %s: %j", (_form, value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });

  it.each([
    ["letters before digits", "a 1"],
    ["a partial date", "Dec 25"],
    ["a fraction", "1.5"],
    ["a negative number", "-1"],
    ["a plus sign", "+5"],
    ["an exponent", "1e3"],
    ["hex", "0x10"],
    ["an empty value", ""],
    ["a word", "soon"],
    ["an ISO 8601 date", "1994-11-06T08:49:37Z"],
    ["another zone than GMT", "Sun, 06 Nov 1994 08:49:37 UTC"],
    ["a numeric zone", "Sun, 06 Nov 1994 08:49:37 +0000"],
    ["a lower-case month", "Sun, 06 nov 1994 08:49:37 GMT"],
    ["a one-digit IMF day", "Sun, 6 Nov 1994 08:49:37 GMT"],
    ["a long day name in IMF-fixdate", "Sunday, 06 Nov 1994 08:49:37 GMT"],
    ["a short day name in rfc850-date", "Sun, 06-Nov-94 08:49:37 GMT"],
    ["a four-digit rfc850 year", "Sunday, 06-Nov-1994 08:49:37 GMT"],
    ["asctime with GMT", "Sun Nov  6 08:49:37 1994 GMT"],
    ["31 February", "Thu, 31 Feb 1994 08:49:37 GMT"],
    ["hour 24", "Sun, 06 Nov 1994 24:00:00 GMT"],
    ["minute 60", "Sun, 06 Nov 1994 08:60:00 GMT"],
    ["day 00", "Sun, 00 Nov 1994 08:49:37 GMT"],
    ["trailing text", "Sun, 06 Nov 1994 08:49:37 GMT x"],
    ["digits and a comment", "120 (seconds)"],
  ])("refuses %s (%j): no hint", (_why, value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it("reads a two-digit rfc850 year as at most 50 years ahead", () => {
    const in2030 = Date.UTC(2030, 0, 1);
    expect(parseHttpDate("Monday, 01-Jan-80 00:00:00 GMT", in2030)).toBe(Date.UTC(2080, 0, 1));
    expect(parseHttpDate("Friday, 01-Jan-81 00:00:00 GMT", in2030)).toBe(Date.UTC(1981, 0, 1));
    expect(parseHttpDate("Wednesday, 01-Jan-30 00:00:00 GMT", in2030)).toBe(Date.UTC(2030, 0, 1));
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    "throws a RangeError for a clock reading of %s instead of guessing",
    (reading) => {
      expect(() => parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", reading)).toThrow(
        /clock\.now\(\) must return a finite number.*got (NaN|-?Infinity)/,
      );
      expect(() => parseRetryAfter("5", reading)).toThrow(RangeError);
      expect(() => checkClockReading("12" as unknown)).toThrow(RangeError);
      expect(checkClockReading(0)).toBe(0);
    },
  );

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
