// Issue 14: Declarative Web Push through the facade and the CLI. A message with
// `web_push: 8030` (what createDeclarativeMessage builds) is checked against the draft before
// anything is sent, and reaches the push service as its JSON text.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDeclarativeMessage } from "@swp/declarative";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeclarativeMessage, DeclarativeError, Pusher } from "./index.ts";
import { swpInProcess } from "./test-support/swp-in-process.ts";

let service: FakePushService;
let dir: string;

beforeAll(async () => {
  service = await startFakePushService();
  dir = await mkdtemp(join(tmpdir(), "swp-declarative-"));
  await writeFile(join(dir, "ca.pem"), service.ca);
});
afterAll(async () => {
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

const pusherIn = () =>
  new Pusher({
    keyPath: join(dir, "private_key.pem"),
    dbPath: join(dir, "subscriptors.db"),
    subject: "mailto:declarative@example.com",
    ca: service.ca,
    allowHosts: ["127.0.0.1"],
  });

const notification = {
  title: "Build 42 passed",
  body: "All 1,024 tests green",
  navigate: "https://ci.example/runs/42",
  lang: "en",
  dir: "ltr" as const,
};

describe("declarative messages through the Pusher", () => {
  it("notify, notifyAll and sendNotification send the checked JSON the browser reads", async () => {
    const pusher = pusherIn();
    const key = await pusher.getPublicKey();
    const [a, b] = [
      await service.subscribe({ applicationServerKey: key }),
      await service.subscribe({ applicationServerKey: key }),
    ];
    await pusher.newSubscription("a", a);
    await pusher.newSubscription("b", b);
    const message = createDeclarativeMessage({ notification, app_badge: 3 });

    const mark = service.messages.length;
    expect((await pusher.notify("a", message)).ok).toBe(true);
    expect((await pusher.notifyAll(message, { except: ["a"] })).sent).toBe(1);
    // A plain object with web_push: 8030 is the same thing, checked the same way.
    expect((await pusher.sendNotification(b, { web_push: 8030, notification })).ok).toBe(true);
    const received = service.messages.slice(mark);
    expect(received.map((m) => m.endpoint)).toEqual([a.endpoint, b.endpoint, b.endpoint]);
    for (const m of received) {
      const parsed = parseDeclarativeMessage(m.text);
      expect(parsed.web_push).toBe(8030);
      expect(parsed.notification).toMatchObject(notification);
    }
    expect(JSON.parse(received[0]!.text)).toEqual({ web_push: 8030, notification, app_badge: 3 });
    await pusher.close();
  });

  it("a malformed declarative message is refused at the call, before any I/O, nonblocking too", async () => {
    const pusher = pusherIn();
    const sub = await service.subscribe({ applicationServerKey: await pusher.getPublicKey() });
    const before = service.requestCount;
    const bad = [
      { web_push: 8030, notification: { title: "no navigate" } },
      { web_push: 8030, notification: { title: "t", navigate: "http://plain.example/" } },
      { web_push: 8030, notification: { title: "t", navigate: "https://a.example/", url: "x" } },
      { web_push: 8030, notification: { title: "x".repeat(4000), navigate: "https://a.example/" } },
    ];
    for (const data of bad) {
      await expect(pusher.sendNotification(sub, data)).rejects.toBeInstanceOf(DeclarativeError);
      expect(() => pusher.sendNotification(sub, data, { nonblocking: true })).toThrow(
        DeclarativeError,
      );
    }
    expect(service.requestCount).toBe(before);
    // Without web_push: 8030 an object is ordinary JSON for the service worker, as before.
    expect((await pusher.sendNotification(sub, { notification: { title: "sw" } })).ok).toBe(true);
    await pusher.close();
  });
});

describe("swp send --declarative and notify-all --declarative", () => {
  const env = () => ({ SWP_DATA_DIR: dir, SWP_SUBJECT: "mailto:declarative@example.com" });
  const net = () => ["--ca", join(dir, "ca.pem"), "--allow-host", "127.0.0.1"];

  it("sends the message built from inline JSON, a file or standard input", async () => {
    const pusher = pusherIn();
    const sub = JSON.stringify(
      await service.subscribe({ applicationServerKey: await pusher.getPublicKey() }),
    );
    await pusher.close();
    const init = JSON.stringify({ notification });
    const file = join(dir, "message.json");
    await writeFile(file, init);
    for (const [args, stdin] of [
      [["--declarative", init], undefined],
      [["--declarative", file], undefined],
      [["--declarative", "-"], init],
    ] as const) {
      const out = await swpInProcess(
        ["send", ...net(), "-s", sub, ...args],
        env(),
        stdin === undefined ? {} : { stdin },
      );
      expect(out.stderr).toBe("");
      expect(out.status).toBe(0);
      expect(JSON.parse(service.messages.at(-1)!.text)).toEqual({ web_push: 8030, notification });
    }
    const all = await swpInProcess(["notify-all", ...net(), "--declarative", init], env());
    expect(all.status).toBe(0);
  });

  it("refuses a bad message (65), not-JSON (65), and a message given twice (64)", async () => {
    const sub = JSON.stringify(await service.subscribe());
    const invalid = await swpInProcess(
      ["send", ...net(), "-s", sub, "--declarative", '{"notification":{"title":"t"}}'],
      env(),
    );
    expect(invalid.status).toBe(65);
    expect(invalid.stderr).toMatch(/^swp send: .*navigate/);
    expect(invalid.stderr.trimEnd().split("\n")).toHaveLength(1);
    const notJson = await swpInProcess(
      ["send", ...net(), "-s", sub, "--declarative", "{nope"],
      env(),
    );
    expect(notJson.status).toBe(65);
    expect(notJson.stderr).toMatch(/^swp send: --declarative is not JSON: /);
    const twice = await swpInProcess(
      ["send", ...net(), "-s", sub, "--declarative", JSON.stringify({ notification }), "hi"],
      env(),
    );
    expect(twice.status).toBe(64);
    expect(twice.stderr.split("\n")[0]).toBe(
      "swp send: --declarative replaces <message>: give one or the other",
    );
  });
});
