import { createECDH, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base64urlEncode as encodeBase64Url } from "./base64url.ts";
import { isP256Point } from "./p256.ts";
import {
  isCanonicalSubscription,
  MAX_SUBSCRIPTION_SIZE,
  parseSubscription,
  toPushTarget,
} from "./parse-subscription.ts";
import { SubscriptionError } from "./subscription-error.ts";
import { isSwpError } from "./swp-error.ts";

function uaPublic(): Uint8Array {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return new Uint8Array(ecdh.getPublicKey());
}

function validJson() {
  return {
    endpoint: "https://push.example.net/push/abc",
    keys: {
      p256dh: encodeBase64Url(uaPublic()),
      auth: encodeBase64Url(new Uint8Array(randomBytes(16))),
    },
    expirationTime: null,
  };
}

function errorOf(fn: () => unknown): SubscriptionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SubscriptionError) return e;
    throw e;
  }
  throw new Error("expected a SubscriptionError");
}

describe("parseSubscription", () => {
  it("accepts toJSON() output as an object and as JSON text", () => {
    const sub = validJson();
    expect(parseSubscription(sub)).toEqual(sub);
    expect(parseSubscription(JSON.stringify(sub))).toEqual(sub);
  });

  it("drops unknown fields and keeps a numeric expirationTime", () => {
    const sub = { ...validJson(), expirationTime: 1_700_000_000_000, extra: 1 };
    const parsed = parseSubscription(sub);
    expect(parsed).not.toHaveProperty("extra");
    expect(parsed.expirationTime).toBe(1_700_000_000_000);
  });

  it("calls toJSON on a live-subscription-like object", () => {
    const sub = validJson();
    expect(parseSubscription({ endpoint: sub.endpoint, toJSON: () => sub })).toEqual(sub);
  });

  it("canonicalises padded and standard-alphabet keys to base64url", () => {
    const sub = validJson();
    const std = Buffer.from(sub.keys.auth, "base64url").toString("base64");
    const parsed = parseSubscription({ ...sub, keys: { ...sub.keys, auth: std } });
    expect(parsed.keys.auth).toBe(sub.keys.auth);
  });

  it.each([
    ["not JSON", () => parseSubscription("{nope"), "ERR_SUBSCRIPTION_NOT_JSON", undefined],
    [
      "too large",
      () => parseSubscription(" ".repeat(MAX_SUBSCRIPTION_SIZE + 1)),
      "ERR_SUBSCRIPTION_TOO_LARGE",
      undefined,
    ],
    ["an array", () => parseSubscription([]), "ERR_SUBSCRIPTION_INVALID", undefined],
    ["JSON null", () => parseSubscription("null"), "ERR_SUBSCRIPTION_INVALID", undefined],
    [
      "no endpoint",
      () => parseSubscription({ ...validJson(), endpoint: undefined }),
      "ERR_SUBSCRIPTION_MISSING_FIELD",
      "endpoint",
    ],
    [
      "endpoint not a URL",
      () => parseSubscription({ ...validJson(), endpoint: "/push/abc" }),
      "ERR_SUBSCRIPTION_INVALID_ENDPOINT",
      "endpoint",
    ],
    [
      "ftp endpoint",
      () => parseSubscription({ ...validJson(), endpoint: "ftp://push.example.net/x" }),
      "ERR_SUBSCRIPTION_INVALID_ENDPOINT",
      "endpoint",
    ],
    [
      "endpoint with credentials",
      () => parseSubscription({ ...validJson(), endpoint: "https://u:p@push.example.net/x" }),
      "ERR_SUBSCRIPTION_INVALID_ENDPOINT",
      "endpoint",
    ],
    [
      "endpoint too long",
      () =>
        parseSubscription({ ...validJson(), endpoint: `https://a.example/${"x".repeat(5000)}` }),
      "ERR_SUBSCRIPTION_TOO_LARGE",
      "endpoint",
    ],
    [
      "no keys",
      () => parseSubscription({ endpoint: "https://push.example.net/x" }),
      "ERR_SUBSCRIPTION_MISSING_FIELD",
      "keys",
    ],
    [
      "no p256dh",
      () => parseSubscription({ ...validJson(), keys: { auth: validJson().keys.auth } }),
      "ERR_SUBSCRIPTION_MISSING_FIELD",
      "keys.p256dh",
    ],
    [
      "p256dh not base64url",
      () => parseSubscription({ ...validJson(), keys: { ...validJson().keys, p256dh: "B*x" } }),
      "ERR_SUBSCRIPTION_INVALID_P256DH",
      "keys.p256dh",
    ],
    [
      "p256dh of wrong length",
      () =>
        parseSubscription({
          ...validJson(),
          keys: { ...validJson().keys, p256dh: encodeBase64Url(new Uint8Array(33)) },
        }),
      "ERR_SUBSCRIPTION_INVALID_P256DH",
      "keys.p256dh",
    ],
    [
      "p256dh off the curve",
      () => {
        const point = uaPublic();
        point[64] = point[64]! ^ 1;
        return parseSubscription({
          ...validJson(),
          keys: { ...validJson().keys, p256dh: encodeBase64Url(point) },
        });
      },
      "ERR_SUBSCRIPTION_INVALID_P256DH",
      "keys.p256dh",
    ],
    [
      "auth of 12 bytes",
      () =>
        parseSubscription({
          ...validJson(),
          keys: { ...validJson().keys, auth: encodeBase64Url(new Uint8Array(12)) },
        }),
      "ERR_SUBSCRIPTION_INVALID_AUTH",
      "keys.auth",
    ],
    [
      "auth a number",
      () => parseSubscription({ ...validJson(), keys: { ...validJson().keys, auth: 5 } }),
      "ERR_SUBSCRIPTION_INVALID_AUTH",
      "keys.auth",
    ],
    [
      "expirationTime a string",
      () => parseSubscription({ ...validJson(), expirationTime: "soon" }),
      "ERR_SUBSCRIPTION_INVALID",
      "expirationTime",
    ],
  ])("refuses %s", (_name, fn, code, field) => {
    const error = errorOf(fn);
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    expect(isSwpError(error)).toBe(true);
    if (field) expect(error.message).toContain(field);
  });

  it("accepts http: endpoints and loopback hosts: transport policy is the sender's", () => {
    const sub = { ...validJson(), endpoint: "http://127.0.0.1:8080/push/1" };
    expect(parseSubscription(sub).endpoint).toBe(sub.endpoint);
  });

  it("serialises the endpoint as the URL parser does", () => {
    const sub = { ...validJson(), endpoint: "HTTPS://Push.Example.NET:443/push/a%7e" };
    expect(parseSubscription(sub).endpoint).toBe("https://push.example.net/push/a%7e");
  });

  it("returns a frozen value and returns it unchanged when given it again", () => {
    const parsed = parseSubscription(validJson());
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(Object.isFrozen(parsed.keys)).toBe(true);
    expect(parseSubscription(parsed)).toBe(parsed);
    expect(isCanonicalSubscription(parsed)).toBe(true);
    // A copy (JSON, structuredClone, a row from a store) is data again, not canonical.
    const copy = JSON.parse(JSON.stringify(parsed));
    expect(isCanonicalSubscription(copy)).toBe(false);
    expect(parseSubscription(copy)).toEqual(parsed);
  });

  it("never puts the auth secret in a message", () => {
    const sub = validJson();
    const bad = `${sub.keys.auth}AAAA`;
    const error = errorOf(() => parseSubscription({ ...sub, keys: { ...sub.keys, auth: bad } }));
    expect(error.message).not.toContain(sub.keys.auth);
  });
});

describe("toPushTarget", () => {
  it("hands out the parsed parts of a canonical value without parsing again", () => {
    const parsed = parseSubscription(validJson());
    const target = toPushTarget(parsed);
    expect(toPushTarget(parsed)).toBe(target);
    expect(target.endpoint).toBe(parsed.endpoint);
    expect(target.url.href).toBe(parsed.endpoint);
    expect(encodeBase64Url(target.uaPublic)).toBe(parsed.keys.p256dh);
    expect(encodeBase64Url(target.authSecret)).toBe(parsed.keys.auth);
  });

  it("parses anything else, leaving only the curve check to the encryption", () => {
    const sub = validJson();
    const point = uaPublic();
    point[64] = point[64]! ^ 1;
    const offCurve = { ...sub, keys: { ...sub.keys, p256dh: encodeBase64Url(point) } };
    expect(toPushTarget(offCurve).uaPublic).toEqual(point);
    expect(() => parseSubscription(offCurve)).toThrow(SubscriptionError);
    expect(toPushTarget(JSON.stringify(sub)).endpoint).toBe(sub.endpoint);
    expect(() => toPushTarget(42 as never)).toThrow(
      expect.objectContaining({ code: "ERR_SUBSCRIPTION_INVALID" }),
    );
  });
});

describe("isP256Point", () => {
  it("accepts generated points and refuses tampered or compressed ones", () => {
    for (let i = 0; i < 20; i++) {
      const point = uaPublic();
      expect(isP256Point(point)).toBe(true);
      const tampered = point.slice();
      tampered[40] = tampered[40]! ^ 0x10;
      expect(isP256Point(tampered)).toBe(false);
      const compressed = point.slice(0, 33);
      expect(isP256Point(compressed)).toBe(false);
    }
  });
});
