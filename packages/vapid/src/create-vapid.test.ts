import { describe, expect, it } from "vitest";
import { entries } from "./test-support/entries.ts";
import { expectVapidError } from "./test-support/expect-vapid-error.ts";

const SUBJECT = "mailto:ops@example.com";
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const HOUR = 3600_000;

function decodeSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
}

function splitVapid(authorization: string | undefined): { jwt: string; k: string } {
  const match = /^vapid t=([A-Za-z0-9_.-]+), k=([A-Za-z0-9_-]+)$/.exec(authorization ?? "");
  expect(match, `not a vapid header: ${authorization}`).not.toBeNull();
  return { jwt: match![1]!, k: match![2]! };
}

function claimsOf(jwt: string): { aud: string; exp: number; sub?: string } {
  return decodeSegment(jwt.split(".")[1]!) as { aud: string; exp: number; sub?: string };
}

/** A clock the test moves by hand. */
function manualClock(start = T0) {
  let now = start;
  return { now: () => now, set: (t: number) => (now = t) };
}

describe.each(entries)("createVapid (%s)", (_name, vapid) => {
  it("signs an ES256 JWT that WebCrypto verifies, with the RFC 8292 header and claims", async () => {
    const keys = await vapid.generateVapidKeys();
    const signer = vapid.createVapid({ keys, subject: SUBJECT, now: () => T0 });
    const headers = await signer.headers("https://push.example.net/wpush/v2/abc?x=1#f");
    expect(Object.keys(headers)).toEqual(["Authorization"]);
    const { jwt, k } = splitVapid(headers.Authorization);
    expect(k).toBe(Buffer.from(keys.publicKey).toString("base64url"));
    const [header, payload, signature] = jwt.split(".") as [string, string, string];
    expect(Buffer.from(header, "base64url").toString()).toBe('{"typ":"JWT","alg":"ES256"}');
    expect(decodeSegment(payload)).toEqual({
      aud: "https://push.example.net",
      exp: T0 / 1000 + 12 * 3600,
      sub: SUBJECT,
    });
    const rawSignature = Buffer.from(signature, "base64url");
    expect(rawSignature.length).toBe(64); // raw r ‖ s, not DER
    const publicKey = await crypto.subtle.importKey(
      "raw",
      keys.publicKey as Uint8Array<ArrayBuffer>,
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
    const ok = await crypto.subtle.verify(
      { name: "ECDSA", hash: "SHA-256" },
      publicKey,
      rawSignature,
      new TextEncoder().encode(`${header}.${payload}`),
    );
    expect(ok).toBe(true);
  });

  it("builds both header forms from one cached token", async () => {
    const keys = await vapid.generateVapidKeys();
    const signer = vapid.createVapid({ keys, subject: SUBJECT });
    const endpoint = "https://updates.push.services.mozilla.com/wpush/v2/gAAAA";
    const modern = await signer.headers(endpoint, "aes128gcm");
    const legacy = await signer.headers(endpoint, "aesgcm");
    const { jwt, k } = splitVapid(modern.Authorization);
    expect(legacy).toEqual({ Authorization: `WebPush ${jwt}`, "Crypto-Key": `p256ecdsa=${k}` });
    expect(await signer.headers(endpoint)).toEqual(modern);
    // A fresh object every call: callers may add their own headers to it.
    expect(await signer.headers(endpoint)).not.toBe(modern);
    await expect(signer.headers(endpoint, "aes256" as never)).rejects.toThrow(TypeError);
  });

  it("uses the endpoint's origin as audience: no path, no default port, lower-case host", async () => {
    const keys = await vapid.generateVapidKeys();
    const signer = vapid.createVapid({ keys, subject: SUBJECT });
    const cases: Array<[string | URL, string]> = [
      ["https://fcm.googleapis.com/fcm/send/x:y", "https://fcm.googleapis.com"],
      ["https://FCM.GoogleAPIs.com:443/fcm/send/z", "https://fcm.googleapis.com"],
      ["https://push.example.net:8443/a/b", "https://push.example.net:8443"],
      ["https://web.push.apple.com", "https://web.push.apple.com"],
      ["https://user:pw@push.example.org/p", "https://push.example.org"],
      ["HTTPS://PUSH.EXAMPLE.ORG/p", "https://push.example.org"],
      ["http://127.0.0.1:9999/push/1", "http://127.0.0.1:9999"],
      [
        new URL("https://wns2-par02p.notify.windows.com/w/?token=abc"),
        "https://wns2-par02p.notify.windows.com",
      ],
      ["https://[::1]:4433/x", "https://[::1]:4433"],
    ];
    for (const [endpoint, audience] of cases) {
      const { jwt } = splitVapid((await signer.headers(endpoint)).Authorization);
      expect(claimsOf(jwt).aud, String(endpoint)).toBe(audience);
    }
  });

  it("caches per audience and re-signs at the safety margin before expiry (injected clock)", async () => {
    const keys = await vapid.generateVapidKeys();
    const clock = manualClock();
    const signer = vapid.createVapid({ keys, subject: SUBJECT, now: clock.now });
    const a = "https://a.push.example/1";
    const first = splitVapid((await signer.headers(a)).Authorization).jwt;
    // ES256 signatures are randomised: an equal token means it was not signed again.
    expect(splitVapid((await signer.headers("https://a.push.example/2")).Authorization).jwt).toBe(
      first,
    );
    const other = splitVapid((await signer.headers("https://b.push.example/1")).Authorization).jwt;
    expect(other).not.toBe(first);
    expect(claimsOf(other).aud).toBe("https://b.push.example");

    // Default 12 h tokens are re-signed one hour before they expire.
    clock.set(T0 + 11 * HOUR - 1);
    expect(splitVapid((await signer.headers(a)).Authorization).jwt).toBe(first);
    clock.set(T0 + 11 * HOUR);
    const second = splitVapid((await signer.headers(a)).Authorization).jwt;
    expect(second).not.toBe(first);
    expect(claimsOf(second).exp).toBe((T0 + 11 * HOUR) / 1000 + 12 * 3600);
    expect(splitVapid((await signer.headers(a)).Authorization).jwt).toBe(second);

    // A clock that jumps back would put exp more than 24 h ahead: sign again.
    clock.set(T0 + 11 * HOUR - 14 * HOUR);
    const third = splitVapid((await signer.headers(a)).Authorization).jwt;
    expect(third).not.toBe(second);
    expect(claimsOf(third).exp - clock.now() / 1000).toBe(12 * 3600);
  });

  it("re-signs short-lived tokens at half their lifetime and never puts exp over 24 h ahead", async () => {
    const keys = await vapid.generateVapidKeys();
    const clock = manualClock();
    const short = vapid.createVapid({ keys, subject: SUBJECT, expiration: 600, now: clock.now });
    const first = splitVapid((await short.headers("https://p.example/x")).Authorization).jwt;
    expect(claimsOf(first).exp).toBe(T0 / 1000 + 600);
    clock.set(T0 + 299_999);
    expect(splitVapid((await short.headers("https://p.example/x")).Authorization).jwt).toBe(first);
    clock.set(T0 + 300_000);
    expect(splitVapid((await short.headers("https://p.example/x")).Authorization).jwt).not.toBe(
      first,
    );

    const day = vapid.createVapid({ keys, subject: SUBJECT, expiration: 86_400, now: () => T0 });
    const jwt = splitVapid((await day.headers("https://p.example/x")).Authorization).jwt;
    expect(claimsOf(jwt).exp).toBe(T0 / 1000 + 86_400);
  });

  it("signs once for concurrent first calls to one audience", async () => {
    const keys = await vapid.generateVapidKeys();
    const signer = vapid.createVapid({ keys, subject: SUBJECT });
    const all = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signer.headers(`https://c.push.example/${i}`)),
    );
    expect(new Set(all.map((h) => h.Authorization)).size).toBe(1);
  });

  it("rejects an expiration of zero or less, over 24 h, or not whole seconds", async () => {
    const keys = await vapid.generateVapidKeys();
    for (const expiration of [0, -1, 86_401, 1.5, Number.NaN, "3600"]) {
      await expectVapidError(
        () => vapid.createVapid({ keys, subject: SUBJECT, expiration: expiration as number }),
        "ERR_VAPID_EXPIRATION",
        /1\.\.86400/,
      );
    }
  });

  it("rejects endpoints that are not absolute http(s) URLs", async () => {
    const keys = await vapid.generateVapidKeys();
    const signer = vapid.createVapid({ keys, subject: SUBJECT });
    for (const endpoint of [
      "fcm/send/abc",
      "",
      "//push.example/x",
      "https://",
      "ftp://push.example/x",
      "https://exa mple.com/x",
    ]) {
      await expectVapidError(() => signer.headers(endpoint), "ERR_VAPID_ENDPOINT");
    }
    await expectVapidError(() => signer.headers(42 as never), "ERR_VAPID_ENDPOINT");
  });

  it("rejects bad keys: wrong length synchronously, a mismatched pair on first use", async () => {
    const keys = await vapid.generateVapidKeys();
    const other = await vapid.generateVapidKeys();
    await expectVapidError(
      () =>
        vapid.createVapid({
          keys: { ...keys, privateKey: keys.privateKey.subarray(0, 16) },
          subject: SUBJECT,
        }),
      "ERR_VAPID_KEY_LENGTH",
    );
    const off = keys.publicKey.slice();
    off[1] = off[1]! ^ 1;
    await expectVapidError(
      () => vapid.createVapid({ keys: { ...keys, publicKey: off }, subject: SUBJECT }),
      "ERR_VAPID_KEY_NOT_ON_CURVE",
    );
    const mismatched = vapid.createVapid({
      keys: { publicKey: other.publicKey, privateKey: keys.privateKey },
      subject: SUBJECT,
    });
    const error = await expectVapidError(
      () => mismatched.headers("https://push.example/x"),
      "ERR_VAPID_KEY_MISMATCH",
    );
    expect(error.message).not.toContain(Buffer.from(keys.privateKey).toString("base64url"));
    expect(error.message).not.toContain(Buffer.from(keys.privateKey).toString("hex"));
  });

  it("copies the keys and exposes the public key and subject", async () => {
    const keys = await vapid.generateVapidKeys();
    const original = Buffer.from(keys.publicKey).toString("hex");
    const signer = vapid.createVapid({ keys, subject: SUBJECT });
    keys.publicKey.fill(0);
    keys.privateKey.fill(0);
    expect(Buffer.from(signer.publicKey).toString("hex")).toBe(original);
    signer.publicKey.fill(0);
    expect(Buffer.from(signer.publicKey).toString("hex")).toBe(original);
    expect(signer.subject).toBe(SUBJECT);
    await expect(signer.headers("https://push.example/x")).resolves.toHaveProperty("Authorization");
  });
});

describe.each(entries)("subject rules (%s)", (_name, vapid) => {
  const valid = [
    "mailto:ops@example.com",
    "mailto:first.last+push@mail.example.co.uk",
    "https://example.com",
    "https://example.com/contact?via=push",
  ];
  const invalid: Array<[unknown, RegExp]> = [
    ["ops@example.com", /no scheme.*"mailto:ops@example\.com"/],
    ["example.com/contact", /no scheme/],
    ["mailto: ops@example.com", /whitespace after "mailto:"/],
    ["mailto:<ops@example.com>", /angle brackets/],
    ["mailto:Ops <ops@example.com>", /angle brackets/],
    ["mailto:ops@localhost", /local host "localhost"/],
    ["mailto:ops@printer.local", /local host/],
    ["mailto:ops@intranet", /local host "intranet"/],
    ["mailto:ops", /not an e-mail address/],
    ["mailto:", /not an e-mail address/],
    ["mailto:ops@example.com ", /whitespace/],
    ["https://localhost/contact", /local name/],
    ["https://app.localhost", /local name/],
    ["https://127.0.0.1", /local name/],
    ["https://intranet/contact", /local name/],
    ["https:///", /not a valid https: URL/],
    ["http://example.com", /scheme "http:" is not allowed/],
    ["MAILTO:ops@example.com", /lower case/],
    ["tel:+15551234", /scheme "tel:"/],
    ["", /empty/],
    [42, /expected a string/],
    [undefined, /expected a string/],
  ];

  it.each(valid)("accepts %s", async (subject) => {
    const keys = await vapid.generateVapidKeys();
    expect(vapid.createVapid({ keys, subject }).subject).toBe(subject);
  });

  it.each(invalid)("refuses %j", async (subject, message) => {
    const keys = await vapid.generateVapidKeys();
    await expectVapidError(
      () => vapid.createVapid({ keys, subject: subject as string }),
      "ERR_VAPID_SUBJECT",
      message,
    );
  });

  it("allowLocalSubject permits local hosts, but not malformed subjects", async () => {
    const keys = await vapid.generateVapidKeys();
    for (const subject of [
      "mailto:dev@localhost",
      "https://localhost:8080",
      "mailto:me@laptop.local",
    ]) {
      expect(vapid.createVapid({ keys, subject, allowLocalSubject: true }).subject).toBe(subject);
    }
    for (const subject of ["dev@localhost", "mailto: dev@localhost", "mailto:<dev@localhost>"]) {
      await expectVapidError(
        () => vapid.createVapid({ keys, subject, allowLocalSubject: true }),
        "ERR_VAPID_SUBJECT",
      );
    }
  });
});
