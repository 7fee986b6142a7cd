import type { PushResult } from "@swp/sender";
import { describe, expect, it } from "vitest";
import { endpointOrigin, verboseLine } from "./verbose-line.ts";

const endpoint = "https://fcm.googleapis.com/fcm/send/cOZ80twUe2I:APA91bFWFWTIJzD3B7YHC";

function result(over: Partial<PushResult>): PushResult {
  return { ok: true, statusCode: 201, endpoint, gone: false, attempts: 1, service: "fcm", ...over };
}

describe("verboseLine", () => {
  it("shows status, origin and outcome, never the endpoint path", () => {
    const line = verboseLine(result({}));
    expect(line).toBe("[swp] 201 https://fcm.googleapis.com sent");
    expect(line).not.toContain("cOZ80twUe2I");
  });

  it("quotes the reason on one short line, with the endpoint replaced by its origin", () => {
    const line = verboseLine(
      result({
        ok: false,
        gone: true,
        statusCode: 410,
        reason: `subscription ${endpoint} expired\n<html>\r\n${"x".repeat(500)}`,
      }),
      "removed",
    );
    expect(line).toMatch(
      /^\[swp\] 410 https:\/\/fcm\.googleapis\.com gone: subscription https:\/\/fcm\.googleapis\.com expired <html> x+… \(removed\)$/,
    );
    expect(line).not.toContain("cOZ80twUe2I");
    expect(line).not.toMatch(/[\r\n]/);
    expect(line.length).toBeLessThan(260);
  });

  it("marks answers that never came and counts retries", () => {
    expect(
      verboseLine(result({ ok: false, statusCode: 0, attempts: 3, reason: "ECONNRESET" })),
    ).toBe("[swp] --- https://fcm.googleapis.com failed: ECONNRESET (3 attempts)");
  });

  it("never throws on an endpoint that is not a URL", () => {
    expect(endpointOrigin("not a url")).toBe("(invalid endpoint)");
    expect(endpointOrigin("data:text/plain,secret")).toBe("(invalid endpoint)");
    expect(verboseLine(result({ endpoint: "nope", ok: false, statusCode: 0 }))).toBe(
      "[swp] --- (invalid endpoint) failed",
    );
  });
});
