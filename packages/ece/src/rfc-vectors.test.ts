import { base64urlDecode as b64, base64urlEncode as enc } from "@swp/subscription";
import { describe, expect, it } from "vitest";
import { aes128gcmKeys, webPushIkm, webPushKeyInfo } from "./lib/key-schedule.ts";
import { implementations } from "./test-support/implementations.ts";
import { RFC8188_3_1, RFC8188_3_2, RFC8291 } from "./test-support/vectors.ts";

const text = (s: string) => new TextEncoder().encode(s);

describe.each(implementations)("RFC vectors (%s entry)", (_name, ece, primitives) => {
  it("RFC 8188 §3.1: derives the published CEK and NONCE", async () => {
    const keys = await aes128gcmKeys(primitives, b64(RFC8188_3_1.salt), b64(RFC8188_3_1.key));
    expect(enc(keys.cek)).toBe(RFC8188_3_1.cek);
    expect(enc(keys.nonce)).toBe(RFC8188_3_1.nonce);
  });

  it("RFC 8188 §3.1: encrypts to the published body, byte for byte", async () => {
    const body = await ece.encryptContent(text(RFC8188_3_1.plaintext), {
      key: b64(RFC8188_3_1.key),
      salt: b64(RFC8188_3_1.salt),
      recordSize: RFC8188_3_1.recordSize,
    });
    expect(enc(body)).toBe(RFC8188_3_1.body);
  });

  it("RFC 8188 §3.1: decrypts the published body", async () => {
    const plaintext = await ece.decryptContent(b64(RFC8188_3_1.body), {
      key: b64(RFC8188_3_1.key),
    });
    expect(new TextDecoder().decode(plaintext)).toBe(RFC8188_3_1.plaintext);
  });

  it("RFC 8188 §3.2: encrypts the two-record example byte for byte", async () => {
    const body = await ece.encryptContent(text(RFC8188_3_2.plaintext), {
      key: b64(RFC8188_3_2.key),
      salt: b64(RFC8188_3_2.salt),
      recordSize: RFC8188_3_2.recordSize,
      keyId: text(RFC8188_3_2.keyId),
      padding: RFC8188_3_2.padding,
    });
    expect(body.length).toBe(73);
    expect(enc(body)).toBe(RFC8188_3_2.body);
  });

  it("RFC 8188 §3.2: decrypts the two-record example", async () => {
    const plaintext = await ece.decryptContent(b64(RFC8188_3_2.body), {
      key: b64(RFC8188_3_2.key),
    });
    expect(new TextDecoder().decode(plaintext)).toBe(RFC8188_3_2.plaintext);
  });

  it("RFC 8291 Appendix A: ECDH secret, key_info, IKM, CEK and NONCE", async () => {
    const uaPublic = b64(RFC8291.uaPublic);
    const asPublic = b64(RFC8291.asPublic);
    const { secret } = await primitives.agree(uaPublic, {
      publicKey: asPublic,
      privateKey: b64(RFC8291.asPrivate),
    });
    expect(enc(secret)).toBe(RFC8291.ecdhSecret);
    expect(enc(webPushKeyInfo(uaPublic, asPublic))).toBe(RFC8291.keyInfo);
    const ikm = await webPushIkm(primitives, secret, b64(RFC8291.authSecret), uaPublic, asPublic);
    expect(enc(ikm)).toBe(RFC8291.ikm);
    const keys = await aes128gcmKeys(primitives, b64(RFC8291.salt), ikm);
    expect(enc(keys.cek)).toBe(RFC8291.cek);
    expect(enc(keys.nonce)).toBe(RFC8291.nonce);
  });

  it("RFC 8291 §5: encrypt reproduces the published body with the vector hooks", async () => {
    const result = await ece.encrypt(text(RFC8291.plaintext), {
      uaPublic: b64(RFC8291.uaPublic),
      authSecret: b64(RFC8291.authSecret),
      salt: b64(RFC8291.salt),
      asKeyPair: { publicKey: b64(RFC8291.asPublic), privateKey: b64(RFC8291.asPrivate) },
    });
    expect(enc(result.body.subarray(0, 86))).toBe(RFC8291.header);
    expect(enc(result.body)).toBe(RFC8291.body);
    expect(result.body.length).toBe(144);
    expect(result.encoding).toBe("aes128gcm");
    expect(enc(result.salt)).toBe(RFC8291.salt);
    expect(enc(result.asPublic)).toBe(RFC8291.asPublic);
    expect(result.headers).toEqual({ "Content-Encoding": "aes128gcm" });
  });

  it("RFC 8291 §5: decrypt yields the watermelon", async () => {
    const plaintext = await ece.decrypt(b64(RFC8291.body), {
      uaPrivate: b64(RFC8291.uaPrivate),
      uaPublic: b64(RFC8291.uaPublic),
      authSecret: b64(RFC8291.authSecret),
    });
    expect(new TextDecoder().decode(plaintext)).toBe("When I grow up, I want to be a watermelon");
  });
});
