// @swp/store-sqlite (and with it better-sqlite3, a native build) is an optional peer: the
// built package runs in a real process in which the package cannot be resolved, exactly as
// when it is not installed (test-support/hide-packages.mjs), and every attempt to import it
// is logged.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { base64urlDecode } from "@swp/ece";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { generateVapidKeys, vapidKeysToBase64Url } from "@swp/vapid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, packageRoot, spawnNode } from "./test-support/spawn-node.ts";

const hook = join(packageRoot, "src", "test-support", "hide-packages.mjs");
let service: FakePushService;
let dir: string;
let env: Record<string, string>;
let log: string;

beforeAll(async () => {
  assertBuilt();
  service = await startFakePushService();
  dir = await mkdtemp(join(tmpdir(), "swp-optional-sqlite-"));
  log = join(dir, "import-attempts.log");
  const keys = await vapidKeysToBase64Url(await generateVapidKeys());
  await writeFile(join(dir, "ca.pem"), service.ca);
  env = {
    SWP_TEST_HIDE: "@swp/store-sqlite,better-sqlite3",
    SWP_TEST_HIDE_LOG: log,
    SWP_SUBJECT: "mailto:optional@example.com",
    DIR: dir,
    VAPID_PUBLIC_KEY: keys.publicKey,
    VAPID_PRIVATE_KEY: keys.privateKey,
  };
});
afterAll(async () => {
  await service?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs `script` (an ES module, cwd packages/pusher) with the optional packages hidden. */
function runHidden(script: string, extraEnv: Record<string, string> = {}) {
  return spawnNode(["--import", hook, "--input-type=module", "--eval", script], {
    env: { ...env, ...extraEnv },
  });
}

const attempts = async () => (existsSync(log) ? await readFile(log, "utf8") : "");

describe("@swp/store-sqlite is an optional peer", () => {
  it("a Pusher given its own store never imports it, and sends through the fake service", async () => {
    const sub = await service.subscribe({
      applicationServerKey: base64urlDecode(env.VAPID_PUBLIC_KEY!),
    });
    const out = await runHidden(
      `
      import { readFileSync } from "node:fs";
      import { Pusher } from "@swp/pusher";
      import { createMemoryStore } from "@swp/store";
      const { DIR, VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, SUB } = process.env;
      const pusher = new Pusher({
        store: createMemoryStore(),
        keys: { publicKey: VAPID_PUBLIC_KEY, privateKey: VAPID_PRIVATE_KEY },
        ca: readFileSync(DIR + "/ca.pem", "utf8"),
        allowHosts: ["127.0.0.1"],
        dbPath: DIR + "/subscriptors.db",
      });
      await pusher.newSubscription("alice", SUB);
      const one = await pusher.notify("alice", "to alice");
      const all = await pusher.notifyAll("to everyone");
      const direct = await pusher.sendNotification(SUB, "direct");
      await pusher.close();
      console.log(JSON.stringify({ one: one.ok, all: all.sent, direct: direct.ok }));
      `,
      { SUB: JSON.stringify(sub) },
    );
    expect(out.stderr).toBe("");
    expect(JSON.parse(out.stdout)).toEqual({ one: true, all: 1, direct: true });
    expect(out.status).toBe(0);
    expect(await attempts()).toBe("");
    expect(existsSync(join(dir, "subscriptors.db"))).toBe(false);
    expect(service.messages.slice(-3).map((m) => m.text)).toEqual([
      "to alice",
      "to everyone",
      "direct",
    ]);
  });

  it("without it, the default store fails with ERR_PUSHER_MISSING_PACKAGE naming the install command; keys still work", async () => {
    const out = await runHidden(`
      import { Pusher } from "@swp/pusher";
      const pusher = new Pusher({ keyPath: process.env.DIR + "/private_key.pem", dbPath: process.env.DIR + "/subscriptors.db" });
      const key = await pusher.getUrlB64PublicKey();
      const error = await pusher.countSubscriptions().then(() => undefined, (e) => e);
      await pusher.close();
      console.log(JSON.stringify({ key: key.length, name: error?.name, code: error?.code, message: error?.message }));
    `);
    expect(out.stderr).toBe("");
    const result = JSON.parse(out.stdout);
    expect(result).toMatchObject({
      key: 87,
      name: "PusherError",
      code: "ERR_PUSHER_MISSING_PACKAGE",
    });
    expect(result.message).toContain("npm install @swp/store-sqlite");
    expect(result.message).toContain("the default SQLite store");
    expect(await attempts()).toContain("@swp/store-sqlite");
  });

  it("the CLI says the same, as a configuration error (exit status 78)", async () => {
    const out = await spawnNode(
      [
        "--import",
        hook,
        join(packageRoot, "dist", "cli", "main.js"),
        "subscriptions",
        "count",
        "--dir",
        dir,
      ],
      { env },
    );
    expect(out.status).toBe(78);
    expect(out.stderr).toMatch(/^swp subscriptions: .*npm install @swp\/store-sqlite/);
    expect(out.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  });
});
