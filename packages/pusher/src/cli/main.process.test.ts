// The `swp` binary as users run it: the committed bin shim, spawned as a real process.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, packageRoot, spawnNode } from "../test-support/spawn-node.ts";

const bin = join(packageRoot, "bin", "swp.js");
let service: FakePushService;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  assertBuilt();
  service = await startFakePushService();
  dir = await mkdtemp(join(tmpdir(), "swp-bin-"));
  await writeFile(join(dir, "ca.pem"), service.ca);
  env = { SWP_SUBJECT: "mailto:bin-tests@example.com" };
});
afterAll(async () => {
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

const net = () => ["--ca", join(dir, "ca.pem"), "--allow-host", "127.0.0.1"];

describe("the swp binary", () => {
  it("prints help, and answers bad arguments with exit status 64 and no stack trace", async () => {
    const help = await spawnNode([bin, "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: swp <command> [options]");
    const bad = await spawnNode([bin, "notify-all", "--group", "twelve", "hi"]);
    expect(bad.status).toBe(64);
    expect(bad.stderr.split("\n")[0]).toBe(
      "swp notify-all: --group must be an integer, got 'twelve'",
    );
    expect(bad.stderr).not.toMatch(/^\s+at /m);
    expect(bad.stdout).toBe("");
  });

  it("runs the whole flow in a working directory: keys, send, store, notify-all", async () => {
    const keys = await spawnNode([bin, "keys"], { cwd: dir, env });
    expect(keys.status).toBe(0);
    const publicKey = keys.stdout.trim();
    expect(publicKey).toMatch(/^B[A-Za-z0-9_-]{86}$/);

    const { base64urlDecode } = await import("@swp/ece");
    const subscribe = () => service.subscribe({ applicationServerKey: base64urlDecode(publicKey) });
    const [a, b] = await Promise.all([subscribe(), subscribe()]);

    const sent = await spawnNode([bin, "send", ...net(), "-s", "-", "Hello World"], {
      cwd: dir,
      env,
      stdin: JSON.stringify(a),
    });
    expect(sent).toMatchObject({
      status: 0,
      stdout: `sent (HTTP 201) ${service.origin}\n`,
      stderr: "",
    });
    expect(service.messages.at(-1)!.text).toBe("Hello World");

    for (const [id, sub] of [
      ["a", a],
      ["b", b],
    ] as const) {
      const added = await spawnNode([bin, "subscriptions", "add", id, "-s", JSON.stringify(sub)], {
        cwd: dir,
        env,
      });
      expect(added.status).toBe(0);
    }
    service.script(b!, 500, 500);
    const all = await spawnNode(
      [bin, "notify-all", ...net(), "--retries", "1", "--json", "to all"],
      { cwd: dir, env },
    );
    expect(all.status).toBe(1); // one message failed
    expect(JSON.parse(all.stdout)).toMatchObject({
      total: 2,
      sent: 1,
      failed: 1,
      failures: [{ sessionId: "b", statusCode: 500, attempts: 2 }],
    });

    const none = await spawnNode([bin, "send", ...net(), "-s", JSON.stringify(a), "x"], {
      cwd: dir,
    });
    expect(none.status).toBe(78); // no subject in this environment
  });
});
