import { createECDH, randomBytes } from "node:crypto";
import {
  base64urlEncode,
  parseSubscription,
  SubscriptionError,
  toPushTarget,
} from "@swp/subscription";
import { describe, expect, it } from "vitest";
import { resolvePushTarget } from "./endpoint-policy.ts";

function subscription(endpoint: string) {
  const ecdh = createECDH("prime256v1");
  return {
    endpoint,
    keys: {
      p256dh: base64urlEncode(new Uint8Array(ecdh.generateKeys())),
      auth: base64urlEncode(new Uint8Array(randomBytes(16))),
    },
  };
}

describe("resolvePushTarget", () => {
  it("takes a canonical subscription's parts as they are (no second parse)", () => {
    const canonical = parseSubscription(subscription("https://push.example.net/a"));
    expect(resolvePushTarget(canonical, false)).toBe(toPushTarget(canonical));
  });

  it("refuses http: at send time unless allowHttp, though the parser accepted it", () => {
    const canonical = parseSubscription(subscription("http://127.0.0.1:8080/push/1"));
    let error: unknown;
    try {
      resolvePushTarget(canonical, false);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SubscriptionError);
    expect(error).toMatchObject({ code: "ERR_SUBSCRIPTION_INVALID_ENDPOINT", field: "endpoint" });
    expect(resolvePushTarget(canonical, true).url.port).toBe("8080");
  });

  it("parses raw input with the same errors as parseSubscription", () => {
    const raw = subscription("https://push.example.net/b");
    expect(resolvePushTarget(JSON.stringify(raw), false).endpoint).toBe(raw.endpoint);
    expect(() => resolvePushTarget(42 as never, false)).toThrow(
      expect.objectContaining({ code: "ERR_SUBSCRIPTION_INVALID" }),
    );
  });
});
