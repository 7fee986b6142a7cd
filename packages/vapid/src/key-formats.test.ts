import { createPrivateKey, createPublicKey } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bigIntToBytes } from "./lib/p256.ts";
import { entries } from "./test-support/entries.ts";
import { expectVapidError } from "./test-support/expect-vapid-error.ts";
import { openssl } from "./test-support/openssl.ts";

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** The public key of an openssl-made PEM, as openssl itself reports it. */
function opensslPublicKey(pem: string): Uint8Array {
  const spki = createPublicKey(openssl(["ec", "-pubout"], pem));
  return new Uint8Array(spki.export({ format: "der", type: "spki" }).subarray(-65));
}

describe.each(entries)("key formats (%s)", (_name, vapid) => {
  it("generates a valid pair: 65-byte point, 32-byte scalar, public derived from private", async () => {
    const keys = await vapid.generateVapidKeys();
    expect(keys.publicKey).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(keys.publicKey)).toBe(false);
    expect(keys.publicKey.length).toBe(65);
    expect(keys.privateKey.length).toBe(32);
    const again = await vapid.vapidKeysFromBase64Url({
      privateKey: Buffer.from(keys.privateKey).toString("base64url"),
    });
    expect(hex(again.publicKey)).toBe(hex(keys.publicKey));
    const other = await vapid.generateVapidKeys();
    expect(hex(other.privateKey)).not.toBe(hex(keys.privateKey));
  });

  it("round-trips every format for random private scalars", async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 1n, max: N - 1n }), async (d) => {
        const keys = await vapid.vapidKeysFromBase64Url({
          privateKey: Buffer.from(bigIntToBytes(d, 32)).toString("base64url"),
        });
        const fromPkcs8 = await vapid.vapidKeysFromPem(await vapid.vapidKeysToPem(keys));
        const fromSec1 = await vapid.vapidKeysFromPem(
          await vapid.vapidKeysToPem(keys, { format: "sec1" }),
        );
        const fromB64 = await vapid.vapidKeysFromBase64Url(await vapid.vapidKeysToBase64Url(keys));
        const fromJwk = await vapid.vapidKeysFromJwk(await vapid.vapidKeysToJwk(keys));
        const publicOnly = await vapid.publicKeyFromPem(await vapid.publicKeyToPem(keys.publicKey));
        for (const k of [fromPkcs8, fromSec1, fromB64, fromJwk]) {
          expect(hex(k.privateKey)).toBe(hex(keys.privateKey));
          expect(hex(k.publicKey)).toBe(hex(keys.publicKey));
        }
        expect(hex(publicOnly)).toBe(hex(keys.publicKey));
      }),
      { numRuns: 12 },
    );
  });

  it("loads a key written by `openssl ecparam -genkey -name prime256v1` (with and without EC PARAMETERS)", async () => {
    const withParameters = openssl(["ecparam", "-genkey", "-name", "prime256v1"]);
    expect(withParameters).toMatch(/BEGIN EC PARAMETERS[\s\S]*BEGIN EC PRIVATE KEY/);
    const keys = await vapid.vapidKeysFromPem(withParameters);
    expect(hex(keys.publicKey)).toBe(hex(opensslPublicKey(withParameters)));

    const noout = openssl(["ecparam", "-genkey", "-name", "prime256v1", "-noout"]);
    const keys2 = await vapid.vapidKeysFromPem(noout);
    expect(hex(keys2.publicKey)).toBe(hex(opensslPublicKey(noout)));
  });

  it("loads PKCS #8 from openssl, with and without the embedded public key", async () => {
    const sec1 = openssl(["ecparam", "-genkey", "-name", "prime256v1", "-noout"]);
    const expected = hex(opensslPublicKey(sec1));
    const pkcs8 = openssl(["pkcs8", "-topk8", "-nocrypt"], sec1);
    expect(pkcs8).toContain("BEGIN PRIVATE KEY");
    expect(hex((await vapid.vapidKeysFromPem(pkcs8)).publicKey)).toBe(expected);
    // SEC 1 without the optional public key, then wrapped: the scalar alone.
    const bare = openssl(["ec", "-no_public"], sec1);
    expect(hex((await vapid.vapidKeysFromPem(bare)).publicKey)).toBe(expected);
    const barePkcs8 = openssl(["pkcs8", "-topk8", "-nocrypt"], bare);
    expect(hex((await vapid.vapidKeysFromPem(barePkcs8)).publicKey)).toBe(expected);
  });

  it("writes PEM byte-identical to openssl (SEC 1) and readable by node:crypto (PKCS #8, SPKI)", async () => {
    const sec1 = openssl(["ecparam", "-genkey", "-name", "prime256v1", "-noout"]);
    const keys = await vapid.vapidKeysFromPem(sec1);
    expect(await vapid.vapidKeysToPem(keys, { format: "sec1" })).toBe(openssl(["ec"], sec1));
    expect(await vapid.vapidKeysToPem(keys)).toBe(openssl(["pkcs8", "-topk8", "-nocrypt"], sec1));
    const spki = await vapid.publicKeyToPem(keys.publicKey);
    expect(spki).toBe(openssl(["ec", "-pubout"], sec1));
    const jwk = createPrivateKey(await vapid.vapidKeysToPem(keys)).export({ format: "jwk" });
    expect(jwk).toEqual({ ...(await vapid.vapidKeysToJwk(keys)) });
  });

  it("rejects wrong-length keys, points off the curve and mismatched pairs", async () => {
    const keys = await vapid.generateVapidKeys();
    const other = await vapid.generateVapidKeys();
    const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
    await expectVapidError(
      () => vapid.vapidKeysFromBase64Url({ privateKey: b64(keys.privateKey.subarray(1)) }),
      "ERR_VAPID_KEY_LENGTH",
      /32 bytes.*got 31/,
    );
    await expectVapidError(
      () =>
        vapid.vapidKeysFromBase64Url({
          publicKey: b64(keys.publicKey.subarray(0, 64)),
          privateKey: b64(keys.privateKey),
        }),
      "ERR_VAPID_KEY_LENGTH",
      /65 bytes.*got 64/,
    );
    const off = keys.publicKey.slice();
    off[40] = off[40]! ^ 0xff;
    await expectVapidError(
      () => vapid.vapidKeysToBase64Url({ publicKey: off, privateKey: keys.privateKey }),
      "ERR_VAPID_KEY_NOT_ON_CURVE",
    );
    await expectVapidError(
      () => vapid.vapidKeysToPem({ publicKey: other.publicKey, privateKey: keys.privateKey }),
      "ERR_VAPID_KEY_MISMATCH",
    );
    await expectVapidError(
      () => vapid.vapidKeysFromBase64Url({ privateKey: b64(bigIntToBytes(N, 32)) }),
      "ERR_VAPID_KEY_INVALID",
      /scalar/,
    );
    await expectVapidError(
      () => vapid.vapidKeysFromBase64Url({ privateKey: "not base64url!" }),
      "ERR_VAPID_KEY_INVALID",
    );
    await expectVapidError(
      () => vapid.vapidKeysFromJwk({ kty: "EC", crv: "P-384", d: b64(keys.privateKey) }),
      "ERR_VAPID_KEY_INVALID",
      /P-256/,
    );
    await expectVapidError(
      () => vapid.vapidKeysFromJwk({ kty: "EC", crv: "P-256" }),
      "ERR_VAPID_KEY_INVALID",
      /no private key/,
    );
  });

  it("rejects corrupt, encrypted, public-only and wrong-curve PEM with ERR_VAPID_PEM_INVALID", async () => {
    const sec1 = openssl(["ecparam", "-genkey", "-name", "prime256v1", "-noout"]);
    const keys = await vapid.vapidKeysFromPem(sec1);
    const cases: Array<[string, RegExp]> = [
      ["", /no -----BEGIN/],
      ["hello", /no -----BEGIN/],
      [sec1.replace("KEY-----\n", "KEY-----\n!"), /not base64/],
      [sec1.replace("END EC PRIVATE KEY", "END PRIVATE KEY"), /ends with/],
      [sec1.replace(/\n[^\n]+\n-----END/, "\n-----END"), /truncated|SEQUENCE|DER/],
      [await vapid.publicKeyToPem(keys.publicKey), /PUBLIC KEY alone cannot sign/],
      [openssl(["ecparam", "-genkey", "-name", "secp384r1", "-noout"]), /P-384/],
      [
        openssl(["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", "pass:secret"], sec1),
        /encrypted/,
      ],
      [openssl(["ec", "-aes256", "-passout", "pass:secret"], sec1), /encrypted with a passphrase/],
      [openssl(["genpkey", "-algorithm", "ed25519"]), /not an elliptic-curve key/],
    ];
    for (const [pem, message] of cases) {
      const error = await expectVapidError(
        () => vapid.vapidKeysFromPem(pem),
        "ERR_VAPID_PEM_INVALID",
        message,
      );
      // Never a secret in a message: not the scalar, not the PEM body.
      expect(error.message).not.toContain(hex(keys.privateKey));
      expect(error.message).not.toContain(Buffer.from(keys.privateKey).toString("base64url"));
      expect(error.message).not.toMatch(/MHcCAQEE/);
    }
  });

  it("rejects a PEM whose embedded public key belongs to another key", async () => {
    const keys = await vapid.generateVapidKeys();
    const other = await vapid.generateVapidKeys();
    const sec1 = await vapid.vapidKeysToPem(keys, { format: "sec1" });
    const der = Buffer.from(sec1.replace(/-----[^-]+-----|\s/g, ""), "base64");
    const at = der.indexOf(Buffer.from(keys.publicKey));
    der.set(other.publicKey, at);
    const forged = `-----BEGIN EC PRIVATE KEY-----\n${der.toString("base64")}\n-----END EC PRIVATE KEY-----\n`;
    await expectVapidError(() => vapid.vapidKeysFromPem(forged), "ERR_VAPID_KEY_MISMATCH");
  });
});
