import {
  base64urlDecode as decodeBase64Url,
  base64urlEncode as encodeBase64Url,
  SubscriptionError,
} from "@swp/subscription";
import ece from "http_ece";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, PayloadTooLargeError } from "./errors.ts";
import { buildPushRequest } from "./push-request.ts";
import { DEFAULT_TTL } from "./send-options.ts";
import { testReceiver, testVapid } from "./test-support/fixtures.ts";

const { vapid, keys } = await testVapid();
const vapidKey = encodeBase64Url(keys.publicKey);

describe("buildPushRequest headers", () => {
  it("sets the RFC 8030/8291/8292 headers for aes128gcm by default", async () => {
    const { subscription } = testReceiver();
    const request = await buildPushRequest(subscription, "hello", { vapid });
    expect(request.method).toBe("POST");
    expect(request.endpoint).toBe(subscription.endpoint);
    expect(request.headers).toMatchObject({
      TTL: String(DEFAULT_TTL),
      "Content-Type": "application/octet-stream",
      "Content-Encoding": "aes128gcm",
    });
    expect(request.headers.Authorization).toMatch(
      new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapidKey}$`),
    );
    expect(request.headers).not.toHaveProperty("Urgency");
    expect(request.headers).not.toHaveProperty("Topic");
    expect(request.headers).not.toHaveProperty("Crypto-Key");
    expect(request.headers).not.toHaveProperty("X-WNS-Cache-Policy");
    // RFC 8188 header: 16 salt + 4 rs + 1 idlen + 65 keyid, then 5 + 1 + 16 bytes.
    expect(request.body.length).toBe(86 + 5 + 1 + 16);
  });

  it("returns an ArrayBuffer-backed body, which fetch's BodyInit accepts", async () => {
    const { subscription } = testReceiver();
    const request = await buildPushRequest(subscription, "hello", { vapid });
    expect(Object.prototype.toString.call(request.body.buffer)).toBe("[object ArrayBuffer]");
  });

  it("maps ttl, urgency, topic and extra headers", async () => {
    const { subscription } = testReceiver();
    const request = await buildPushRequest(subscription, "x", {
      vapid,
      ttl: 0,
      urgency: "very-low",
      topic: "order-42",
      headers: { "X-Request-Id": "abc" },
    });
    expect(request.headers).toMatchObject({
      TTL: "0",
      Urgency: "very-low",
      Topic: "order-42",
      "X-Request-Id": "abc",
    });
  });

  it("sends aesgcm with Encryption and one Crypto-Key joining dh and p256ecdsa", async () => {
    const { subscription } = testReceiver();
    const request = await buildPushRequest(subscription, "x", { vapid, encoding: "aesgcm" });
    expect(request.headers["Content-Encoding"]).toBe("aesgcm");
    expect(request.headers.Encryption).toMatch(/^salt=[\w-]{22}$/);
    expect(request.headers["Crypto-Key"]).toMatch(
      new RegExp(`^dh=[\\w-]{87};p256ecdsa=${vapidKey}$`),
    );
    expect(request.headers.Authorization).toMatch(/^WebPush [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("tells WNS its cache policy from the TTL", async () => {
    const { subscription } = testReceiver("https://wns2-par02p.notify.windows.com/w/?token=abc");
    const cached = await buildPushRequest(subscription, "x", { vapid, ttl: 60 });
    expect(cached.headers["X-WNS-Cache-Policy"]).toBe("cache");
    const uncached = await buildPushRequest(subscription, "x", { vapid, ttl: 0 });
    expect(uncached.headers["X-WNS-Cache-Policy"]).toBe("no-cache");
  });

  it("pads when asked", async () => {
    const { subscription } = testReceiver();
    const request = await buildPushRequest(subscription, "x", { vapid, padding: 100 });
    expect(request.body.length).toBe(86 + 1 + 1 + 100 + 16);
  });
});

describe("buildPushRequest refusals (before any I/O)", () => {
  const { subscription } = testReceiver();

  it.each([
    ["ttl -1", { ttl: -1 }, "ttl"],
    ["ttl 1.5", { ttl: 1.5 }, "ttl"],
    ["urgency urgent", { urgency: "urgent" as never }, "urgency"],
    ["topic of 33 chars", { topic: "a".repeat(33) }, "topic"],
    ["topic of 5 chars", { topic: "abcde" }, "topic"],
    ["topic with a dot", { topic: "a.bc" }, "topic"],
    ["topic empty", { topic: "" }, "topic"],
    ["encoding gzip", { encoding: "gzip" as never }, "encoding"],
    ["padding -1", { padding: -1 }, "padding"],
    ["timeout 0", { timeout: 0 }, "timeout"],
    ["retries 1.5", { retries: 1.5 }, "retries"],
    ["a TTL header", { headers: { ttl: "5" } }, "headers"],
    ["an Authorization header", { headers: { Authorization: "x" } }, "headers"],
    ["a Crypto-Key header", { headers: { "crypto-key": "x" } }, "headers"],
    ["a header with CRLF", { headers: { "X-A": "a\r\nB: c" } }, "headers"],
    ["a bad header name", { headers: { "X A": "a" } }, "headers"],
  ])("refuses %s", async (_name, options, option) => {
    const error = await buildPushRequest(subscription, "x", { vapid, ...options }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe(option);
  });

  it("accepts topics of valid base64url lengths up to 32", async () => {
    for (const topic of ["ab", "abc", "abcd", "a".repeat(32), "A-_z09"]) {
      const r = await buildPushRequest(subscription, "x", { vapid, topic });
      expect(r.headers.Topic).toBe(topic);
    }
  });

  it("refuses a payload that does not fit one 4096-byte message, naming both sizes", async () => {
    const fits = await buildPushRequest(subscription, new Uint8Array(3993), { vapid });
    expect(fits.body.length).toBe(4096);
    const error = await buildPushRequest(subscription, new Uint8Array(3994), { vapid }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).message).toMatch(/3994 bytes.*3993 bytes/);
    const padded = await buildPushRequest(subscription, new Uint8Array(3900), {
      vapid,
      padding: 100,
    }).catch((e: unknown) => e);
    expect(padded).toBeInstanceOf(PayloadTooLargeError);
    const legacy = await buildPushRequest(subscription, new Uint8Array(4078), {
      vapid,
      encoding: "aesgcm",
    });
    expect(legacy.body.length).toBeLessThanOrEqual(4096);
    await expect(
      buildPushRequest(subscription, new Uint8Array(4079), { vapid, encoding: "aesgcm" }),
    ).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it("refuses a bad subscription", async () => {
    await expect(
      buildPushRequest({ endpoint: "http://x.example/" }, "x", { vapid }),
    ).rejects.toBeInstanceOf(SubscriptionError);
  });
});

describe("interop: http_ece decrypts what buildPushRequest encrypts", () => {
  it.each(["", "hello", "ü€😀 multi-byte", "x".repeat(3993)])(
    "aes128gcm payload of %# ",
    async (text) => {
      const { subscription, ecdh, authSecret } = testReceiver();
      const request = await buildPushRequest(subscription, text, { vapid });
      const plain = ece.decrypt(Buffer.from(request.body), {
        version: "aes128gcm",
        privateKey: ecdh,
        authSecret: Buffer.from(authSecret).toString("base64url"),
      });
      expect(plain.toString("utf8")).toBe(text);
    },
  );

  it("aesgcm with padding", async () => {
    const { subscription, ecdh, authSecret } = testReceiver();
    const request = await buildPushRequest(subscription, "legacy", {
      vapid,
      encoding: "aesgcm",
      padding: 7,
    });
    const salt = request.headers.Encryption!.slice("salt=".length);
    const dh = /dh=([\w-]+)/.exec(request.headers["Crypto-Key"]!)![1]!;
    const plain = ece.decrypt(Buffer.from(request.body), {
      version: "aesgcm",
      privateKey: ecdh,
      dh,
      salt,
      authSecret: Buffer.from(authSecret).toString("base64url"),
    });
    expect(plain.toString("utf8")).toBe("legacy");
    expect(decodeBase64Url(dh)?.length).toBe(65);
  });
});
