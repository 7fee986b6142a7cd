import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveOptions } from "./options.ts";

describe("resolveOptions", () => {
  it("defaults to the original's file names in the current directory, and no subject", () => {
    const o = resolveOptions({}, {});
    expect(o.dbPath).toBe(resolve("subscriptors.db"));
    expect(o.keyPath).toBe(resolve("private_key.pem"));
    expect(o.publicKeyPath).toBe(resolve("public_key.pem"));
    expect(o.subject).toBeUndefined();
    expect(o.verbose).toBe(false);
    expect(o.store).toBeUndefined();
    expect(o.sender).toEqual({});
  });

  it("puts public_key.pem beside a private key given elsewhere", () => {
    const o = resolveOptions({ keyPath: "/srv/push/private_key.pem" }, {});
    expect(o.publicKeyPath).toBe(join("/srv/push", "public_key.pem"));
    expect(
      resolveOptions({ keyPath: "/a/k.pem", publicKeyPath: "/b/p.pem" }, {}).publicKeyPath,
    ).toBe("/b/p.pem");
  });

  it("keeps the SQLite name :memory: as it is", () => {
    expect(resolveOptions({ dbPath: ":memory:" }, {}).dbPath).toBe(":memory:");
  });

  it("takes the subject from SWP_SUBJECT unless given, and ignores an empty variable", () => {
    expect(resolveOptions({}, { SWP_SUBJECT: "mailto:ops@example.com" }).subject).toBe(
      "mailto:ops@example.com",
    );
    expect(
      resolveOptions(
        { subject: "https://example.com/contact" },
        { SWP_SUBJECT: "mailto:ops@example.com" },
      ).subject,
    ).toBe("https://example.com/contact");
    expect(resolveOptions({}, { SWP_SUBJECT: "" }).subject).toBeUndefined();
  });

  it("falls back to VAPID_SUBJECT, the name web-push users have, after SWP_SUBJECT", () => {
    const vapid = "mailto:web-push@example.com";
    expect(resolveOptions({}, { VAPID_SUBJECT: vapid }).subject).toBe(vapid);
    expect(
      resolveOptions({}, { SWP_SUBJECT: "mailto:swp@example.com", VAPID_SUBJECT: vapid }).subject,
    ).toBe("mailto:swp@example.com");
    expect(
      resolveOptions({ subject: "mailto:given@example.com" }, { VAPID_SUBJECT: vapid }).subject,
    ).toBe("mailto:given@example.com");
  });

  it("takes keys as bytes (copied) or as base64url strings, never a mix, never naming a value", () => {
    const bytes = { publicKey: new Uint8Array(65).fill(4), privateKey: new Uint8Array(32).fill(1) };
    const copied = resolveOptions({ keys: bytes }, {}).keys as typeof bytes;
    bytes.privateKey.fill(9);
    expect(copied.privateKey[0]).toBe(1);
    const strings = { publicKey: "BPub", privateKey: "secret-private-value" };
    expect(resolveOptions({ keys: strings }, {}).keys).toEqual(strings);
    for (const keys of [
      { publicKey: "BPub", privateKey: new Uint8Array(32) },
      { publicKey: "", privateKey: "" },
      { privateKey: "secret-private-value" },
      null,
    ]) {
      let error: unknown;
      try {
        resolveOptions({ keys: keys as never }, {});
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^options\.keys must be/);
      expect((error as Error).message).not.toContain("secret-private-value");
    }
  });

  it("copies and freezes: later changes to the caller's objects change nothing", () => {
    const allowHosts = ["127.0.0.1"];
    const headers = { "X-Trace": "1" };
    const keys = { publicKey: new Uint8Array(65).fill(4), privateKey: new Uint8Array(32).fill(7) };
    const input = { allowHosts, headers, keys, ttl: 60 };
    const o = resolveOptions(input, {});
    allowHosts.push("10.0.0.1");
    headers["X-Trace"] = "2";
    keys.privateKey.fill(0);
    input.ttl = 1;
    expect(o.sender).toEqual({ allowHosts: ["127.0.0.1"], headers: { "X-Trace": "1" }, ttl: 60 });
    expect(o.keys?.privateKey[0]).toBe(7);
    expect(Object.isFrozen(o)).toBe(true);
    expect(Object.isFrozen(o.sender)).toBe(true);
    expect(Object.isFrozen((o.sender as { allowHosts: string[] }).allowHosts)).toBe(true);
  });

  it("passes sender options through and keeps the facade's own out of them", () => {
    const o = resolveOptions(
      {
        concurrency: 8,
        encoding: "aesgcm",
        verbose: true,
        dbPath: "x.db",
        subject: "mailto:a@example.com",
      },
      {},
    );
    expect(o.sender).toEqual({ concurrency: 8, encoding: "aesgcm" });
  });

  it("refuses options of the wrong type with a TypeError that names them", () => {
    expect(() => resolveOptions({ dbPath: "" }, {})).toThrow(/options\.dbPath/);
    expect(() => resolveOptions({ keyPath: 3 as never }, {})).toThrow(/options\.keyPath/);
    expect(() => resolveOptions({ verbose: "yes" as never }, {})).toThrow(/options\.verbose/);
    expect(() => resolveOptions({ subject: 1 as never }, {})).toThrow(/options\.subject/);
    expect(() => resolveOptions({ log: "stderr" as never }, {})).toThrow(/options\.log/);
    expect(() => resolveOptions({ keys: { publicKey: "B..." } as never }, {})).toThrow(
      /options\.keys/,
    );
    expect(() => resolveOptions(null as never, {})).toThrow(/got null/);
  });

  it("names the methods a custom store lacks", () => {
    const partial = { put: async () => {}, get: async () => undefined };
    expect(() => resolveOptions({ store: partial as never }, {})).toThrow(
      "missing: remove, removeByEndpoint, findSessionId, list, count, close",
    );
  });
});
