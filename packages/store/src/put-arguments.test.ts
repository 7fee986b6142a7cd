import { isCanonicalSubscription, SubscriptionError } from "@swp/subscription";
import { describe, expect, it } from "vitest";
import { SessionIdError } from "./errors.ts";
import { sampleSubscription } from "./lib/sample-subscriptions.ts";
import { resolvePut } from "./put-arguments.ts";

describe("resolvePut", () => {
  it("returns the canonical subscription, the session id and group 0 by default", () => {
    const input = { ...sampleSubscription(1), endpoint: "HTTPS://Push.Example.net:443/x" };
    const put = resolvePut("s", JSON.stringify(input));
    expect(put.sessionId).toBe("s");
    expect(put.groupId).toBe(0);
    expect(put.subscription.endpoint).toBe("https://push.example.net/x");
    expect(put.subscription.keys).toEqual(sampleSubscription(1).keys);
    expect(isCanonicalSubscription(put.subscription)).toBe(true);
    expect(Object.isFrozen(put.subscription)).toBe(true);
  });

  it("accepts http: endpoints: transport policy is the sender's", () => {
    const http = { ...sampleSubscription(1), endpoint: "http://127.0.0.1:8080/push/1" };
    expect(resolvePut("s", http, 3).subscription.endpoint).toBe(http.endpoint);
  });

  it("refuses each argument with the contract's error, session id first", () => {
    expect(() => resolvePut("", "{}")).toThrow(SessionIdError);
    expect(() => resolvePut("s", sampleSubscription(1), 1.5)).toThrow(TypeError);
    expect(() => resolvePut("s", "{}")).toThrow(SubscriptionError);
    expect(() => resolvePut("s", 42)).toThrow(SubscriptionError);
    expect(() => resolvePut("s", null)).toThrow(SubscriptionError);
  });
});
