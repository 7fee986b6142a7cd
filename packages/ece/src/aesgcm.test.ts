import { createECDH } from "node:crypto";
import { base64urlEncode as enc } from "@swp/subscription";
import ece from "http_ece";
import { describe, expect, it } from "vitest";
import { implementations } from "./test-support/implementations.ts";

const text = (s: string) => new TextEncoder().encode(s);
const message = "Legacy aesgcm still reaches old push services.";

/** A receiver (browser) key pair held by http_ece's ECDH object, plus its auth secret. */
function httpEceReceiver() {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const authSecret = new Uint8Array(16).map((_, i) => (i * 37 + 11) & 0xff);
  return { ecdh, uaPublic: new Uint8Array(ecdh.getPublicKey()), authSecret };
}

describe.each(implementations)("legacy aesgcm (%s entry)", (_name, api) => {
  it("round-trips, with the salt and key in the headers", async () => {
    const keys = await api.generateSubscriptionKeys();
    const result = await api.encrypt(text(message), { ...keys, encoding: "aesgcm", padding: 7 });
    expect(result.encoding).toBe("aesgcm");
    expect(result.headers).toEqual({
      "Content-Encoding": "aesgcm",
      Encryption: `salt=${enc(result.salt)}`,
      "Crypto-Key": `dh=${enc(result.asPublic)}`,
    });
    // 2-byte padding length + 7 zeros + message + 16-byte tag, and no RFC 8188 header.
    expect(result.body.length).toBe(2 + 7 + message.length + 16);
    const plaintext = await api.decrypt(result.body, {
      ...keys,
      encoding: "aesgcm",
      salt: result.salt,
      asPublic: result.asPublic,
    });
    expect(new TextDecoder().decode(plaintext)).toBe(message);
  });

  it("encrypts what http_ece (an independent implementation) decrypts", async () => {
    const receiver = httpEceReceiver();
    const result = await api.encrypt(text(message), {
      uaPublic: receiver.uaPublic,
      authSecret: receiver.authSecret,
      encoding: "aesgcm",
      padding: 3,
    });
    const plaintext = ece.decrypt(Buffer.from(result.body), {
      version: "aesgcm",
      privateKey: receiver.ecdh,
      dh: enc(result.asPublic),
      salt: enc(result.salt),
      authSecret: enc(receiver.authSecret),
    });
    expect(plaintext.toString("utf8")).toBe(message);
  });

  it("decrypts what http_ece encrypts", async () => {
    const keys = await api.generateSubscriptionKeys();
    const sender = createECDH("prime256v1");
    sender.generateKeys();
    const salt = new Uint8Array(16).fill(9);
    const body = ece.encrypt(Buffer.from(message), {
      version: "aesgcm",
      privateKey: sender,
      dh: enc(keys.uaPublic),
      salt: enc(salt),
      authSecret: enc(keys.authSecret),
      pad: 5,
    });
    const plaintext = await api.decrypt(new Uint8Array(body), {
      ...keys,
      encoding: "aesgcm",
      salt,
      asPublic: new Uint8Array(sender.getPublicKey()),
    });
    expect(new TextDecoder().decode(plaintext)).toBe(message);
  });

  it("decrypts a multi-record aesgcm body from http_ece", async () => {
    const keys = await api.generateSubscriptionKeys();
    const sender = createECDH("prime256v1");
    sender.generateKeys();
    const salt = new Uint8Array(16).fill(3);
    // 9000 bytes with the default rs of 4096 makes three records.
    const long = new Uint8Array(9000).map((_, i) => i & 0xff);
    const body = ece.encrypt(Buffer.from(long), {
      version: "aesgcm",
      privateKey: sender,
      dh: enc(keys.uaPublic),
      salt: enc(salt),
      authSecret: enc(keys.authSecret),
    });
    expect(body.length).toBeGreaterThan(2 * (4096 + 16));
    const plaintext = await api.decrypt(new Uint8Array(body), {
      ...keys,
      encoding: "aesgcm",
      salt,
      asPublic: new Uint8Array(sender.getPublicKey()),
    });
    expect(plaintext).toEqual(long);
  });
});

describe.each(implementations)("aes128gcm interop with http_ece (%s entry)", (_name, api) => {
  it("encrypts what http_ece decrypts", async () => {
    const receiver = httpEceReceiver();
    const result = await api.encrypt(text(message), {
      uaPublic: receiver.uaPublic,
      authSecret: receiver.authSecret,
      padding: 11,
    });
    const plaintext = ece.decrypt(Buffer.from(result.body), {
      version: "aes128gcm",
      privateKey: receiver.ecdh,
      authSecret: enc(receiver.authSecret),
    });
    expect(plaintext.toString("utf8")).toBe(message);
  });

  it("decrypts what http_ece encrypts, multi-record included", async () => {
    const keys = await api.generateSubscriptionKeys();
    const sender = createECDH("prime256v1");
    sender.generateKeys();
    for (const rs of [4096, 100]) {
      const body = ece.encrypt(Buffer.from(message.repeat(5)), {
        version: "aes128gcm",
        privateKey: sender,
        dh: enc(keys.uaPublic),
        authSecret: enc(keys.authSecret),
        rs,
      });
      const plaintext = await api.decrypt(new Uint8Array(body), keys);
      expect(new TextDecoder().decode(plaintext)).toBe(message.repeat(5));
    }
  });

  it("encryptContent and decryptContent agree with http_ece's RFC 8188 mode", async () => {
    const key = new Uint8Array(16).fill(0x42);
    const salt = new Uint8Array(16).fill(0x24);
    const data = new Uint8Array(500).map((_, i) => (i * 7) & 0xff);
    const ours = await api.encryptContent(data, { key, salt, recordSize: 64 });
    const theirs = ece.decrypt(Buffer.from(ours), { version: "aes128gcm", key: enc(key) });
    expect(new Uint8Array(theirs)).toEqual(data);
    const back = ece.encrypt(Buffer.from(data), {
      version: "aes128gcm",
      key: enc(key),
      salt: enc(salt),
      rs: 64,
    });
    // Without padding both split records the same way, so the bodies are identical.
    expect(enc(ours)).toBe(back.toString("base64url"));
    expect(await api.decryptContent(new Uint8Array(back), { key })).toEqual(data);
  });
});
