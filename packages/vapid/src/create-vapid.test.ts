import { describe, expect, it } from "vitest";
import webpush from "web-push";
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

  it("accepts base64url key strings as web-push generates them, and signs with them", async () => {
    const strings = webpush.generateVAPIDKeys();
    const signer = vapid.createVapid({ keys: strings, subject: SUBJECT, now: () => T0 });
    expect(Buffer.from(signer.publicKey).toString("base64url")).toBe(strings.publicKey);
    const { Authorization } = await signer.headers("https://push.example/x");
    expect(splitVapid(Authorization).k).toBe(strings.publicKey);
    const verified = await vapid.verifyVapid(Authorization!, {
      audience: "https://push.example",
      now: () => T0,
    });
    expect(Buffer.from(verified.publicKey).toString("base64url")).toBe(strings.publicKey);
    // The same pair as bytes signs with the same key; mixing the two forms works too.
    const bytes = await vapid.vapidKeysFromBase64Url(strings);
    const mixed = vapid.createVapid({
      keys: { publicKey: strings.publicKey, privateKey: bytes.privateKey } as never,
      subject: SUBJECT,
    });
    expect(mixed.publicKey).toEqual(bytes.publicKey);
  });

  it("checks base64url key strings: shapes at once, the pair on first use, secrets never echoed", async () => {
    const a = webpush.generateVAPIDKeys();
    const b = webpush.generateVAPIDKeys();
    const mismatched = vapid.createVapid({
      keys: { publicKey: b.publicKey, privateKey: a.privateKey },
      subject: SUBJECT,
    });
    const mismatch = await expectVapidError(
      () => mismatched.headers("https://push.example/x"),
      "ERR_VAPID_KEY_MISMATCH",
    );
    expect(mismatch.message).not.toContain(a.privateKey);
    const cases: Array<[{ publicKey: string; privateKey: string }, string, RegExp]> = [
      [{ ...a, privateKey: a.privateKey.slice(0, 24) }, "ERR_VAPID_KEY_LENGTH", /32 bytes/],
      [{ ...a, publicKey: a.publicKey.slice(0, 44) }, "ERR_VAPID_KEY_LENGTH", /65 bytes/],
      [
        { ...a, privateKey: `${a.privateKey.slice(0, 42)}+/` },
        "ERR_VAPID_KEY_INVALID",
        /standard base64/,
      ],
      [{ ...a, privateKey: `${a.privateKey} ` }, "ERR_VAPID_KEY_INVALID", /whitespace/],
      [{ ...a, privateKey: "-----BEGIN EC PRIVATE KEY-----" }, "ERR_VAPID_KEY_INVALID", /PEM/],
      [{ ...a, publicKey: `C${a.publicKey.slice(1)}` }, "ERR_VAPID_KEY_INVALID", /0x04/],
    ];
    for (const [keys, code, message] of cases) {
      const error = await expectVapidError(
        () => vapid.createVapid({ keys, subject: SUBJECT }),
        code as never,
        message,
      );
      expect(error.message).not.toContain(a.privateKey.slice(0, 20));
    }
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, undefined])(
    "rejects headers() with a RangeError for a clock returning %s, never signing exp: null",
    async (reading) => {
      const keys = await vapid.generateVapidKeys();
      const signer = vapid.createVapid({ keys, subject: SUBJECT, now: () => reading as number });
      const headers = signer.headers("https://push.example/x");
      await expect(headers).rejects.toThrow(RangeError);
      await expect(headers).rejects.toThrow(/createVapid: now\(\) must return a finite number/);
    },
  );

  it("rejects on a clock that turns non-finite after a token was cached", async () => {
    const keys = await vapid.generateVapidKeys();
    const clock = manualClock();
    const signer = vapid.createVapid({ keys, subject: SUBJECT, now: clock.now });
    await signer.headers("https://push.example/x");
    clock.set(Number.NaN);
    await expect(signer.headers("https://push.example/x")).rejects.toThrow(RangeError);
    clock.set(T0);
    await expect(signer.headers("https://push.example/x")).resolves.toHaveProperty("Authorization");
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
    "https://www.example.org:8443/push-contact",
    "mailto:web-push.alerts@sub.example.org",
    "mailto:ops@xn--bcher-kva.example",
  ];
  const invalid: Array<[unknown, RegExp]> = [
    ["ops@example.com", /no scheme.*"mailto:ops@example\.com"/],
    ["example.com/contact", /no scheme/],
    ["mailto: ops@example.com", /whitespace after "mailto:"/],
    ["mailto:<ops@example.com>", /angle brackets/],
    ["mailto:Ops <ops@example.com>", /angle brackets/],
    ["mailto:ops@localhost", /host "localhost" is a local name/],
    ["mailto:ops@printer.local", /local name/],
    ["mailto:ops@intranet", /host "intranet" is a local name/],
    ["mailto:ops", /not an e-mail address/],
    ["mailto:", /not an e-mail address/],
    ["mailto:ops@example.com ", /whitespace/],
    ["https://localhost/contact", /local name/],
    ["https://app.localhost", /local name/],
    ["https://127.0.0.1", /host "127\.0\.0\.1" is an IP address/],
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

  // IP literals and loopback hosts in every spelling the URL parser or a mail system reads.
  const ipOrLoopback = [
    "mailto:a@[127.0.0.1]",
    "mailto:a@[IPv6:::1]",
    "mailto:a@127.0.0.1",
    "mailto:a@8.8.8.8",
    "mailto:a@0x7f.1",
    "mailto:a@2130706433",
    "mailto:a@localhost.",
    "https://[::ffff:127.0.0.1]/",
    "https://[::1]/contact",
    "https://[2001:4860:4860::8888]/",
    "https://127.0.0.1",
    "https://0x7f000001/",
    "https://%31%32%37.0.0.1/",
    "https://localhost",
    "https://LOCALHOST./",
    "https://8.8.8.8/contact",
    "https://127.0.0.1./",
    "https://ops@127.0.0.1/",
    "mailto:a@0177.0.0.1",
  ];
  it.each(ipOrLoopback)("refuses the IP-literal or loopback host in %s", async (subject) => {
    const keys = await vapid.generateVapidKeys();
    await expectVapidError(
      () => vapid.createVapid({ keys, subject }),
      "ERR_VAPID_SUBJECT",
      /is an IP address, not a host name|is a local name/,
    );
    // allowLocalSubject is the opt-in for tests and development.
    expect(vapid.createVapid({ keys, subject, allowLocalSubject: true }).subject).toBe(subject);
  });

  it.each([
    ["NUL", "mailto:ops\u0000@example.com", "U+0000"],
    ["NUL at the end", "https://example.com/\u0000", "U+0000"],
    ["a C1 control", "mailto:ops@example.com\u0085", "U+0085"],
    ["DEL", "mailto:o\u007fps@example.com", "U+007F"],
    ["a zero-width space", "mailto:ops@exa\u200bmple.com", "U+200B"],
    ["a zero-width joiner", "https://exa\u200dmple.com/", "U+200D"],
    ["a BOM", "\ufeffmailto:ops@example.com", "U+FEFF"],
    ["a soft hyphen", "mailto:ops@exam\u00adple.com", "U+00AD"],
    ["right-to-left override", "mailto:ops@\u202emoc.elpmaxe", "U+202E"],
    ["a right-to-left mark", "https://example.com/\u200f", "U+200F"],
    ["an isolate", "mailto:\u2066ops@example.com\u2069", "U+2066"],
    ["a line separator", "mailto:ops@example.com\u2028", "U+2028"],
  ])(
    "refuses %s, naming its code point, even with allowLocalSubject",
    async (_what, subject, code) => {
      const keys = await vapid.generateVapidKeys();
      for (const allowLocalSubject of [false, true]) {
        const error = await expectVapidError(
          () => vapid.createVapid({ keys, subject, allowLocalSubject }),
          "ERR_VAPID_SUBJECT",
          /control or invisible character/,
        );
        expect(error.message).toContain(code);
        // The message names the character by code point and never carries it raw.
        expect(error.message).not.toMatch(/[\p{Cc}\p{Cf}]/u);
      }
    },
  );

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
