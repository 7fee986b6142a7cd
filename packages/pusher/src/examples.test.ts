// Each example in examples/ runs as a real process against the fake push service, the way
// its header comment says to run it.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { base64urlDecode } from "@swp/ece";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { generateVapidKeys, vapidKeysToBase64Url } from "@swp/vapid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, packageRoot, spawnNode } from "./test-support/spawn-node.ts";

const example = (name: string) => join(packageRoot, "examples", name);
let service: FakePushService;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  assertBuilt();
  service = await startFakePushService();
  dir = await mkdtemp(join(tmpdir(), "swp-examples-"));
  const ca = join(dir, "ca.pem");
  await writeFile(ca, service.ca);
  env = {
    SWP_DATA_DIR: dir,
    SWP_SUBJECT: "mailto:examples@example.com",
    SWP_CA_FILE: ca,
    SWP_ALLOW_HOSTS: "127.0.0.1",
  };
});
afterAll(async () => {
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

describe("examples", () => {
  let publicKey: Uint8Array;
  const subscribe = () => service.subscribe({ applicationServerKey: publicKey });

  it("0-print-public-key prints the same key on every run", async () => {
    const first = await spawnNode([example("0-print-public-key.mjs")], { env });
    expect(first).toMatchObject({ status: 0, stderr: "" });
    expect(first.stdout).toMatch(/^B[A-Za-z0-9_-]{86}\n$/);
    expect((await spawnNode([example("0-print-public-key.mjs")], { env })).stdout).toBe(
      first.stdout,
    );
    publicKey = base64urlDecode(first.stdout.trim());
  });

  it("1-hello-world sends Hello World to the subscription given", async () => {
    const sub = await subscribe();
    const out = await spawnNode([example("1-hello-world.mjs"), JSON.stringify(sub)], { env });
    expect(out).toMatchObject({ status: 0, stdout: "sent\n", stderr: "" });
    expect(service.messages.at(-1)).toMatchObject({ endpoint: sub.endpoint, text: "Hello World" });
  });

  it("2-store-subscription stores it under a session id and notifies it", async () => {
    const sub = await subscribe();
    const file = join(dir, "sub.json");
    await writeFile(file, JSON.stringify(sub));
    const out = await spawnNode([example("2-store-subscription.mjs"), "alice", file, "13"], {
      env,
    });
    expect(out).toMatchObject({
      status: 0,
      stdout: "stored alice in group 13\nsent\n",
      stderr: "",
    });
    expect(JSON.parse(service.messages.at(-1)!.text)).toEqual({
      title: "Notification Title",
      body: "Hello World",
    });
  });

  it("3-notify-all notifies everyone stored, or one group, and removes the gone", async () => {
    const [bob, carol] = [await subscribe(), await subscribe()];
    for (const [id, sub] of [
      ["bob", bob],
      ["carol", carol],
    ] as const) {
      const stored = await spawnNode(
        [example("2-store-subscription.mjs"), id, JSON.stringify(sub)],
        { env },
      );
      expect(stored.status).toBe(0);
    }
    service.unsubscribe(carol);
    const mark = service.messages.length;
    const all = await spawnNode([example("3-notify-all.mjs")], { env });
    expect(all).toMatchObject({
      status: 0,
      stdout: "2 sent, 1 gone (removed), 0 failed\n",
      stderr: "",
    });
    expect(service.messages.slice(mark).map((m) => m.text)).toEqual(["Hello World", "Hello World"]);
    const group = await spawnNode([example("3-notify-all.mjs"), "13"], { env });
    expect(group.stdout).toBe("1 sent, 0 gone (removed), 0 failed\n"); // alice only; carol is gone
  });
});

describe("examples/from-web-push.mjs (docs/coming-from-web-push.md)", () => {
  it("sends with web-push's keys and options, and reports a gone subscription as a result", async () => {
    const keys = await vapidKeysToBase64Url(await generateVapidKeys());
    const sub = await service.subscribe({ applicationServerKey: base64urlDecode(keys.publicKey) });
    const webPushEnv = {
      ...env,
      SWP_SUBJECT: "",
      VAPID_SUBJECT: "mailto:from-web-push@example.com",
      VAPID_PUBLIC_KEY: keys.publicKey,
      VAPID_PRIVATE_KEY: keys.privateKey,
    };
    const script = example("from-web-push.mjs");
    const out = await spawnNode([script, JSON.stringify(sub)], { env: webPushEnv });
    expect(out).toMatchObject({ status: 0, stdout: "sent (201)\n", stderr: "" });
    const received = service.messages.at(-1)!;
    expect(JSON.parse(received.text)).toEqual({ title: "Hello" });
    expect(received.headers).toMatchObject({ ttl: "60", urgency: "high", topic: "greeting" });
    expect(received.claims?.sub).toBe("mailto:from-web-push@example.com");

    service.unsubscribe(sub);
    const gone = await spawnNode([script, JSON.stringify(sub)], { env: webPushEnv });
    expect(gone).toMatchObject({
      status: 1,
      stdout: "gone: forget this subscription\n",
      stderr: "",
    });
  });
});

describe("docs/coming-from-web-push.md", () => {
  it("maps every web-push call and option it promises, and points at the tested example", async () => {
    const guide = await readFile(
      join(packageRoot, "..", "..", "docs", "coming-from-web-push.md"),
      "utf8",
    );
    // The first cell of each row of the tables: the web-push side.
    const firstCells = guide
      .split("\n")
      .filter((line) => line.startsWith("| "))
      .map((line) => line.split("|")[1] ?? "");
    for (const name of [
      "generateVAPIDKeys",
      "generate-vapid-keys --json",
      "setVapidDetails",
      "sendNotification",
      "TTL",
      "urgency",
      "topic",
      "contentEncoding",
      "vapidDetails",
      "headers",
      "proxy",
      "timeout",
      "VAPID_PUBLIC_KEY",
    ]) {
      expect(
        firstCells.some((cell) => cell.includes(name)),
        name,
      ).toBe(true);
    }
    expect(guide).toContain("## Results, not rejections");
    expect(guide).toContain("packages/pusher/examples/from-web-push.mjs");
  });
});
