import { describe, expect, it } from "vitest";
import webpush from "web-push";
import { entries } from "./test-support/entries.ts";
import { expectVapidError } from "./test-support/expect-vapid-error.ts";

const SUBJECT = "mailto:ops@example.com";
const AUDIENCE = "https://push.example.net";
const ENDPOINT = `${AUDIENCE}/wpush/v2/abc`;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");

describe.each(entries)("verifyVapid (%s)", (_name, vapid) => {
  async function signed(o: { expiration?: number; now?: number } = {}) {
    const keys = await vapid.generateVapidKeys();
    const signer = vapid.createVapid({
      keys,
      subject: SUBJECT,
      now: () => o.now ?? T0,
      ...(o.expiration === undefined ? {} : { expiration: o.expiration }),
    });
    return { keys, headers: await signer.headers(ENDPOINT) };
  }

  /** A token with arbitrary header and claims, signed by `keys` (for forged-shape tests). */
  async function handMade(header: object, claims: object) {
    const keys = await vapid.generateVapidKeys();
    const jwk = await vapid.vapidKeysToJwk(keys);
    const key = await crypto.subtle.importKey(
      "jwk",
      jwk,
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["sign"],
    );
    const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
    const sig = await crypto.subtle.sign(
      { name: "ECDSA", hash: "SHA-256" },
      key,
      new TextEncoder().encode(input),
    );
    return `vapid t=${input}.${b64(new Uint8Array(sig))}, k=${b64(keys.publicKey)}`;
  }

  it("accepts its own tokens in both schemes and returns claims and key", async () => {
    const { keys, headers } = await signed();
    const result = await vapid.verifyVapid(headers.Authorization!, {
      audience: AUDIENCE,
      now: () => T0,
    });
    expect(result.claims).toEqual({ aud: AUDIENCE, exp: T0 / 1000 + 43_200, sub: SUBJECT });
    expect(b64(result.publicKey)).toBe(b64(keys.publicKey));

    const signer = vapid.createVapid({ keys, subject: SUBJECT, now: () => T0 });
    const legacy = await signer.headers(ENDPOINT, "aesgcm");
    const viaCryptoKey = await vapid.verifyVapid(legacy.Authorization!, {
      audience: ENDPOINT, // an endpoint is reduced to its origin
      now: () => T0,
      cryptoKey: `dh=BOrigin-of-the-message;${legacy["Crypto-Key"]}`,
    });
    expect(viaCryptoKey.claims.aud).toBe(AUDIENCE);
  });

  it("accepts tokens signed by web-push (interoperability), both schemes", async () => {
    const keys = await vapid.generateVapidKeys();
    const { publicKey, privateKey } = await vapid.vapidKeysToBase64Url(keys);
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const modern = webpush.getVapidHeaders(
      AUDIENCE,
      SUBJECT,
      publicKey,
      privateKey,
      "aes128gcm",
      exp,
    );
    expect(
      (await vapid.verifyVapid(modern.Authorization!, { audience: AUDIENCE })).claims.exp,
    ).toBe(exp);
    const legacy = webpush.getVapidHeaders(AUDIENCE, SUBJECT, publicKey, privateKey, "aesgcm", exp);
    const result = await vapid.verifyVapid(legacy.Authorization!, {
      audience: AUDIENCE,
      cryptoKey: legacy["Crypto-Key"]!,
    });
    expect(result.claims.sub).toBe(SUBJECT);
  });

  it("rejects a wrong audience", async () => {
    const { headers } = await signed();
    await expectVapidError(
      () =>
        vapid.verifyVapid(headers.Authorization!, {
          audience: "https://other.example",
          now: () => T0,
        }),
      "ERR_VAPID_AUDIENCE",
      /expected "https:\/\/other\.example"/,
    );
  });

  it("rejects an expired token, and honours clockTolerance", async () => {
    const { headers } = await signed({ expiration: 60 });
    const at = (ms: number, clockTolerance?: number) =>
      vapid.verifyVapid(headers.Authorization!, {
        audience: AUDIENCE,
        now: () => ms,
        ...(clockTolerance === undefined ? {} : { clockTolerance }),
      });
    await expect(at(T0 + 59_999)).resolves.toBeDefined();
    await expectVapidError(() => at(T0 + 60_000), "ERR_VAPID_EXPIRED");
    await expect(at(T0 + 70_000, 30)).resolves.toBeDefined();
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, "1767268800000"])(
    "throws a RangeError for a clock returning %s instead of accepting an expired token",
    async (reading) => {
      const { headers } = await signed({ expiration: 60 });
      // Expired at any real time after T0 + 60 s; NaN would make both exp checks false.
      const verify = vapid.verifyVapid(headers.Authorization!, {
        audience: AUDIENCE,
        now: () => reading as number,
      });
      await expect(verify).rejects.toThrow(RangeError);
      await expect(verify).rejects.toThrow(/verifyVapid: now\(\) must return a finite number/);
    },
  );

  it("rejects exp more than 24 h ahead", async () => {
    const { headers } = await signed({ expiration: 86_400 });
    await expect(
      vapid.verifyVapid(headers.Authorization!, { audience: AUDIENCE, now: () => T0 }),
    ).resolves.toBeDefined();
    await expectVapidError(
      () => vapid.verifyVapid(headers.Authorization!, { audience: AUDIENCE, now: () => T0 - 1000 }),
      "ERR_VAPID_EXPIRATION_TOO_FAR",
    );
  });

  it("rejects a tampered signature, tampered claims, and a DER signature", async () => {
    const { headers } = await signed();
    const [jwt = "", k = ""] = /t=([^,]+), k=(.+)/.exec(headers.Authorization!)!.slice(1);
    const [h, c, s] = jwt.split(".") as [string, string, string];
    const signature = Buffer.from(s, "base64url");
    signature[10] = signature[10]! ^ 1;
    await expectVapidError(
      () =>
        vapid.verifyVapid(`vapid t=${h}.${c}.${b64(signature)}, k=${k}`, {
          audience: AUDIENCE,
          now: () => T0,
        }),
      "ERR_VAPID_SIGNATURE",
    );
    const claims = b64(JSON.stringify({ aud: AUDIENCE, exp: T0 / 1000 + 43_201, sub: SUBJECT }));
    await expectVapidError(
      () =>
        vapid.verifyVapid(`vapid t=${h}.${claims}.${s}, k=${k}`, {
          audience: AUDIENCE,
          now: () => T0,
        }),
      "ERR_VAPID_SIGNATURE",
    );
    const der = Buffer.concat([
      Buffer.from([0x30, 0x44, 0x02, 0x20]),
      signature.subarray(0, 32),
      Buffer.from([0x02, 0x20]),
      signature.subarray(32),
    ]);
    await expectVapidError(
      () =>
        vapid.verifyVapid(`vapid t=${h}.${c}.${b64(der)}, k=${k}`, {
          audience: AUDIENCE,
          now: () => T0,
        }),
      "ERR_VAPID_SIGNATURE",
      /64 bytes.*DER/,
    );
  });

  it("rejects a token checked against the wrong key", async () => {
    const { headers } = await signed();
    const other = await vapid.generateVapidKeys();
    const swapped = headers.Authorization!.replace(/k=.+$/, `k=${b64(other.publicKey)}`);
    await expectVapidError(
      () => vapid.verifyVapid(swapped, { audience: AUDIENCE, now: () => T0 }),
      "ERR_VAPID_SIGNATURE",
    );
    const offCurve = other.publicKey.slice();
    offCurve[5] = offCurve[5]! ^ 1;
    await expectVapidError(
      () =>
        vapid.verifyVapid(headers.Authorization!.replace(/k=.+$/, `k=${b64(offCurve)}`), {
          audience: AUDIENCE,
          now: () => T0,
        }),
      "ERR_VAPID_KEY_NOT_ON_CURVE",
    );
  });

  it('rejects alg "none", other algorithms and a wrong typ', async () => {
    const { headers } = await signed();
    const [jwt = "", k = ""] = /t=([^,]+), k=(.+)/.exec(headers.Authorization!)!.slice(1);
    const [, c] = jwt.split(".") as [string, string, string];
    const none = `${b64('{"typ":"JWT","alg":"none"}')}.${c}.`;
    await expectVapidError(
      () => vapid.verifyVapid(`vapid t=${none}, k=${k}`, { audience: AUDIENCE, now: () => T0 }),
      "ERR_VAPID_ALGORITHM",
      /"none"/,
    );
    const claims = { aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 60 };
    await expectVapidError(
      async () =>
        vapid.verifyVapid(await handMade({ typ: "JWT", alg: "ES384" }, claims), {
          audience: AUDIENCE,
        }),
      "ERR_VAPID_ALGORITHM",
    );
    await expectVapidError(
      async () =>
        vapid.verifyVapid(await handMade({ typ: "JOSE+JSON", alg: "ES256" }, claims), {
          audience: AUDIENCE,
        }),
      "ERR_VAPID_ALGORITHM",
    );
    // The same construction with a correct header verifies, so the rejections above are real.
    await expect(
      vapid.verifyVapid(await handMade({ typ: "JWT", alg: "ES256" }, claims), {
        audience: AUDIENCE,
      }),
    ).resolves.toBeDefined();
    await expectVapidError(
      async () =>
        vapid.verifyVapid(await handMade({ typ: "JWT", alg: "ES256" }, { aud: AUDIENCE }), {
          audience: AUDIENCE,
        }),
      "ERR_VAPID_EXPIRED",
      /no numeric exp/,
    );
  });

  it("rejects malformed headers", async () => {
    const { headers } = await signed();
    const { Authorization = "" } = headers;
    const options = { audience: AUDIENCE, now: () => T0 };
    const malformed = [
      "",
      "Bearer abc",
      "vapid t=abc",
      "vapid k=abc",
      Authorization.replace("t=", "t=x."),
      Authorization.replace(/t=[^.]+/, "t=!!!"),
      "WebPush ",
    ];
    for (const value of malformed) {
      await expectVapidError(() => vapid.verifyVapid(value, options), "ERR_VAPID_TOKEN_MALFORMED");
    }
    const jwt = /t=([^,]+)/.exec(Authorization)![1]!;
    await expectVapidError(
      () => vapid.verifyVapid(`WebPush ${jwt}`, options),
      "ERR_VAPID_TOKEN_MALFORMED",
      /cryptoKey/,
    );
    await expectVapidError(
      () => vapid.verifyVapid(`WebPush ${jwt}`, { ...options, cryptoKey: "dh=abc" }),
      "ERR_VAPID_TOKEN_MALFORMED",
      /p256ecdsa/,
    );
    await expectVapidError(
      () => vapid.verifyVapid(Authorization, { audience: "push.example.net" }),
      "ERR_VAPID_ENDPOINT",
    );
  });
});
