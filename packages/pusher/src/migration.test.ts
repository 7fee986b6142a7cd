// The Python original's files, built here the way it built them: a SEC1 "EC PRIVATE KEY" PEM
// (what `openssl ecparam -genkey` and py_vapid write) and a `subscriptors` table with its
// schema, holding the browsers' JSON text. Pointed at them, a Pusher must serve the same
// public key and reach every stored subscription.
import { execFileSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { base64urlDecode, base64urlEncode } from "@swp/ece";
import type { PushSubscription } from "@swp/sender";
import { type FakePushService, startFakePushService } from "@swp/testing";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pusher } from "./pusher.ts";

let service: FakePushService;
let dir: string;

beforeAll(async () => {
  service = await startFakePushService();
  dir = await mkdtemp(join(tmpdir(), "swp-migration-"));
});
afterAll(async () => {
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

/** The browser's JSON text as the original stored it: standard base64 keys, with padding. */
function asOldBrowserJson(subscription: PushSubscription): string {
  const padded = (b64url: string) => Buffer.from(base64urlDecode(b64url)).toString("base64");
  return JSON.stringify({
    endpoint: subscription.endpoint,
    keys: { p256dh: padded(subscription.keys.p256dh), auth: padded(subscription.keys.auth) },
  });
}

describe("migration from the Python original", () => {
  it("serves the original's public key and reaches every stored subscription", async () => {
    const keyPath = join(dir, "private_key.pem");
    const dbPath = join(dir, "subscriptors.db");

    // The key: a SEC1 PEM from openssl, as the original's Vapid().save_key wrote.
    const pem = execFileSync("openssl", ["ecparam", "-genkey", "-name", "prime256v1", "-noout"], {
      encoding: "utf8",
    });
    expect(pem).toContain("BEGIN EC PRIVATE KEY");
    await writeFile(keyPath, pem, { mode: 0o600 });
    const jwk = createPrivateKey(pem).export({ format: "jwk" });
    const oldPublicKey = new Uint8Array([
      4,
      ...base64urlDecode(jwk.x!),
      ...base64urlDecode(jwk.y!),
    ]);

    // Browsers subscribed with that key; the service accepts only messages it signed.
    const subscriptions = await Promise.all(
      [0, 1, 2].map(() => service.subscribe({ applicationServerKey: oldPublicKey })),
    );

    // The database: the original's exact schema and rows.
    const db = new Database(dbPath);
    db.exec(`CREATE TABLE subscriptors (
                session_id VARCHAR(256) NOT NULL PRIMARY KEY,
                subscription VARCHAR(512) NOT NULL,
                group_id INT NOT NULL
            );`);
    const insert = db.prepare(
      "INSERT INTO subscriptors (session_id, subscription, group_id) VALUES (?,?,?)",
    );
    const texts = subscriptions.map(asOldBrowserJson);
    insert.run("alice-cookie", texts[0], 0);
    insert.run("bob-cookie", texts[1], 13);
    insert.run("carol-cookie", texts[2], 13);
    insert.run("mallory-cookie", "{not json", 0); // years of production leave such rows
    db.close();

    const pusher = new Pusher({
      keyPath,
      dbPath,
      subject: "mailto:migration@example.com",
      ca: service.ca,
      allowHosts: ["127.0.0.1"],
      sqlite: { onInvalidRow: (row) => invalid.push(row) },
    });
    const invalid: Array<{ sessionId: string; code: string }> = [];
    try {
      // Same key: the browsers' applicationServerKey still matches.
      expect(await pusher.getUrlB64PublicKey()).toBe(base64urlEncode(oldPublicKey));
      expect(await readFile(keyPath, "utf8")).toBe(pem); // read, not rewritten

      // Every row is there, found the original's ways (by session id, by its JSON text).
      expect(await pusher.countSubscriptions()).toBe(3);
      // The row that cannot be read is reported (and kept in the backup table), not fatal.
      expect(invalid).toMatchObject([
        { sessionId: "mallory-cookie", code: "ERR_SUBSCRIPTION_NOT_JSON" },
      ]);
      const raw = new Database(dbPath, { readonly: true });
      const tables = raw
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .pluck()
        .all();
      raw.close();
      expect(tables).toContain("subscriptors_python_backup");
      expect(await pusher.getGroupId("bob-cookie")).toBe(13);
      expect(await pusher.getIdSession(texts[2]!)).toBe("carol-cookie");
      expect((await pusher.getSubscription("alice-cookie"))?.endpoint).toBe(
        subscriptions[0]!.endpoint,
      );

      const mark = service.messages.length;
      expect(await pusher.notify("alice-cookie", "still here")).toMatchObject({ ok: true });
      const group = await pusher.notifyAll("group 13", { groupId: 13 });
      expect(group).toMatchObject({ total: 2, sent: 2, failed: 0 });
      const all = await pusher.notifyAll({ title: "everyone" });
      expect(all).toMatchObject({ total: 3, sent: 3, failed: 0 });
      const received = service.messages.slice(mark);
      expect(received).toHaveLength(6);
      expect(new Set(received.map((m) => m.endpoint))).toEqual(
        new Set(subscriptions.map((s) => s.endpoint)),
      );
    } finally {
      await pusher.close();
    }
  });
});
