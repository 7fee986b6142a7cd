// The `swp` command line, run in-process (fast) with collected output. cli.process.test.ts
// runs the built binary as a real process.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "./lib/io.ts";
import { run } from "./run.ts";

let service: FakePushService;
let dir: string;
let caFile: string;

beforeAll(async () => {
  service = await startFakePushService();
});
afterAll(async () => {
  await service.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "swp-cli-"));
  caFile = join(dir, "ca.pem");
  await writeFile(caFile, service.ca);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Outcome {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `swp …args` with the data dir and subject of this test, and collects its output. */
async function swp(
  args: string[],
  o: { stdin?: string; tty?: boolean; env?: Record<string, string> } = {},
): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  let t = 0;
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: o.tty === true, columns: 80 },
    stdin: (async function* () {
      if (o.stdin !== undefined) yield new TextEncoder().encode(o.stdin);
    })(),
    env: { SWP_DATA_DIR: dir, SWP_SUBJECT: "mailto:cli-tests@example.com", ...o.env },
    // Every reading moves the clock by 1 s, so the progress bar redraws at each answer.
    now: () => (t += 1000),
  };
  const status = await run(args, io);
  return { status, stdout, stderr };
}

const net = () => ["--ca", caFile, "--allow-host", "127.0.0.1"];

/** No stack trace: no "    at fn (file:line)" lines. */
function expectNoStack(text: string) {
  expect(text).not.toMatch(/^\s+at /m);
}

describe("swp: help and argument errors", () => {
  it("prints the command list for --help and each command's help for <command> --help", async () => {
    const main = await swp(["--help"]);
    expect(main.status).toBe(0);
    for (const name of ["keys", "send", "subscriptions", "notify-all"])
      expect(main.stdout).toContain(`  ${name}`);
    for (const name of ["keys", "send", "subscriptions", "notify-all"]) {
      const help = await swp([name, "--help"]);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: swp ${name}`));
      expect(help.stdout).toContain("--json");
      expect((await swp(["help", name])).stdout).toBe(help.stdout);
    }
    expect((await swp(["--version"])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("answers bad arguments with one line and the usage, exit status 64, never a stack", async () => {
    const cases: Array<[string[], string]> = [
      [["send", "--bogus", "x"], "swp send: unknown option --bogus"],
      [
        ["send", "--ttl", "soon", "x"],
        "swp send: --ttl must be an integer of at least 0, got 'soon'",
      ],
      [
        ["send", "--urgency", "asap", "x"],
        "swp send: --urgency must be one of very-low, low, normal, high, got 'asap'",
      ],
      [["send", "-s", "{}"], "swp send: missing <message>"],
      [
        ["send", "hello"],
        "swp send: --subscription is required (a JSON file, inline JSON, or - for standard input)",
      ],
      [
        ["send", "-s", "{}", "a", "b"],
        "swp send: expected one <message>, got 2 arguments (quote the message)",
      ],
      [
        ["keys", "--format", "der"],
        "swp keys: --format must be one of base64url, pem, jwk, web-push, got 'der'",
      ],
      [["keys", "extra"], "swp keys: unexpected argument 'extra'"],
      [["subscriptions"], "swp subscriptions: missing action: list, add, remove or count"],
      [
        ["subscriptions", "purge"],
        "swp subscriptions: unknown action 'purge': expected list, add, remove or count",
      ],
      // One prefix: the command's, once (it used to read "swp subscriptions: subscriptions add: …").
      [["subscriptions", "add"], "swp subscriptions: missing <session-id> after 'add'"],
      [["subscriptions", "remove"], "swp subscriptions: missing <session-id> after 'remove'"],
      [
        ["subscriptions", "list", "--group", "x"],
        "swp subscriptions: --group must be an integer, got 'x'",
      ],
      [
        ["notify-all", "--group", "1.5", "hi"],
        "swp notify-all: --group must be an integer, got '1.5'",
      ],
      [["notify-all", "--ttl"], "swp notify-all: option --ttl needs a value"],
    ];
    for (const [args, line] of cases) {
      const out = await swp(args);
      expect(out.status, args.join(" ")).toBe(64);
      expect(out.stderr.split("\n")[0]).toBe(line);
      expect(out.stderr).toContain(`Usage: swp ${args[0]}`);
      expect(out.stdout).toBe("");
      expectNoStack(out.stderr);
    }
  });

  it("rejects an unknown command, and an option before the command, with the command list", async () => {
    const unknown = await swp(["sned", "hi"]);
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toMatch(/^swp: unknown command 'sned'\n/);
    const first = await swp(["--json", "keys"]);
    expect(first.status).toBe(64);
    expect(first.stderr).toContain("the command comes first");
    const none = await swp([]);
    expect(none.status).toBe(64);
    expect(none.stderr).toContain("Commands:");
  });

  it("reports errors as JSON on standard output too, with --json", async () => {
    for (const args of [
      ["send", "--json", "--ttl=-1", "x"],
      ["send", "--json", "--ttl", "-1", "x"],
    ]) {
      const out = await swp(args);
      expect(out.status).toBe(64);
      expect(JSON.parse(out.stdout)).toEqual({
        error: { code: "ERR_USAGE", message: expect.stringContaining("--ttl") },
      });
    }
    const subscription = await swp([
      "send",
      "--json",
      "-s",
      '{"endpoint":"https://x.example"}',
      "hi",
    ]);
    expect(subscription.status).toBe(65);
    expect(JSON.parse(subscription.stdout).error.code).toMatch(/^ERR_SUBSCRIPTION_/);
  });
});

describe("swp keys", () => {
  it("creates the keys once and prints the same public key every time, never the private one", async () => {
    const first = await swp(["keys"]);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^B[A-Za-z0-9_-]{86}\n$/);
    expect((await swp(["keys"])).stdout).toBe(first.stdout);
    const json = JSON.parse((await swp(["keys", "--json"])).stdout);
    expect(json.publicKey).toBe(first.stdout.trim());
    expect(json.pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(json.jwk).toEqual({
      kty: "EC",
      crv: "P-256",
      x: expect.any(String),
      y: expect.any(String),
    });
    expect(JSON.stringify(json)).not.toContain('"d"');
    expect((await swp(["keys", "--format", "pem"])).stdout).toBe(json.pem);
    expect(JSON.parse((await swp(["keys", "--format", "jwk"])).stdout)).toEqual(json.jwk);
  });

  it("exits with 74 and one line for a key file that is not a key", async () => {
    await writeFile(join(dir, "broken.pem"), "not a pem");
    const out = await swp(["keys", "--key", join(dir, "broken.pem")]);
    expect(out.status).toBe(74);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
    expect(out.stderr).toMatch(/^swp keys: /);
  });
});

describe("swp send", () => {
  it("delivers a message to a subscription given inline, in a file, or on standard input", async () => {
    const sub = await service.subscribe();
    const inline = await swp([
      "send",
      ...net(),
      "--subscription",
      JSON.stringify(sub),
      "--ttl",
      "60",
      "Hello World",
    ]);
    expect(inline).toMatchObject({ status: 0, stderr: "" });
    expect(inline.stdout).toBe(`sent (HTTP 201) ${service.origin}\n`);
    expect(service.messages.at(-1)).toMatchObject({ text: "Hello World", headers: { ttl: "60" } });

    const file = join(dir, "sub.json");
    await writeFile(file, JSON.stringify(sub));
    const fromFile = await swp([
      "send",
      ...net(),
      "-s",
      file,
      "--json",
      "--urgency",
      "high",
      "from a file",
    ]);
    expect(fromFile.status).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({
      ok: true,
      statusCode: 201,
      endpoint: sub.endpoint,
    });
    expect(service.messages.at(-1)).toMatchObject({
      text: "from a file",
      headers: { urgency: "high" },
    });

    expect(
      (await swp(["send", ...net(), "-s", "-", "via stdin"], { stdin: JSON.stringify(sub) }))
        .status,
    ).toBe(0);
    expect(service.messages.at(-1)!.text).toBe("via stdin");
    expect(
      (await swp(["send", ...net(), "-s", file, "-"], { stdin: "message from stdin" })).status,
    ).toBe(0);
    expect(service.messages.at(-1)!.text).toBe("message from stdin");
  });

  it("exits with 1 when the message is not delivered, and prints one verbose line per answer", async () => {
    const sub = await service.subscribe();
    service.unsubscribe(sub);
    const out = await swp(["send", ...net(), "-v", "-s", JSON.stringify(sub), "hi"]);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(
      new RegExp(`^gone \\(HTTP 410\\) ${service.origin.replace(/\./g, "\\.")}`),
    );
    expect(out.stderr).toMatch(/^\[swp\] 410 https:\/\/127\.0\.0\.1:\d+ gone/);
    expect(out.stderr).not.toContain(new URL(sub.endpoint).pathname);
  });

  it("maps failures to meaningful exit statuses, with one line each", async () => {
    const sub = JSON.stringify(await service.subscribe());
    const noSubject = await swp(["send", ...net(), "-s", sub, "hi"], { env: { SWP_SUBJECT: "" } });
    expect(noSubject.status).toBe(78);
    expect(noSubject.stderr).toMatch(/^swp send: no VAPID subject: pass/);
    const badSubject = await swp([
      "send",
      ...net(),
      "--subject",
      "admin@example.com",
      "-s",
      sub,
      "hi",
    ]);
    expect(badSubject.status).toBe(78);
    const badSubscription = await swp([
      "send",
      ...net(),
      "-s",
      '{"endpoint":"https://x.example"}',
      "hi",
    ]);
    expect(badSubscription.status).toBe(65);
    expect(badSubscription.stderr.split("\n")[0]).toMatch(/^swp send: .*keys/);
    const missingFile = await swp(["send", ...net(), "-s", join(dir, "nope.json"), "hi"]);
    expect(missingFile.status).toBe(66);
    expect(missingFile.stderr).toBe(
      `swp send: cannot read subscription file ${join(dir, "nope.json")}: ENOENT\n`,
    );
    const missingCa = await swp(["send", "--ca", join(dir, "nope.pem"), "-s", sub, "hi"]);
    expect(missingCa.status).toBe(66);
    const tooBig = await swp(["send", ...net(), "-s", sub, "x".repeat(5000)]);
    expect(tooBig.status).toBe(65);
    for (const out of [noSubject, badSubject, badSubscription, missingFile, missingCa, tooBig])
      expectNoStack(out.stderr);
  });
});

describe("swp subscriptions", () => {
  it("adds, lists, counts and removes stored subscriptions", async () => {
    const [a, b] = await Promise.all([service.subscribe(), service.subscribe()]);
    expect((await swp(["subscriptions", "add", "alice", "-s", JSON.stringify(a)])).stdout).toBe(
      "added\n",
    );
    expect(
      (await swp(["subscriptions", "add", "bob", "-s", JSON.stringify(b), "--group", "13"])).status,
    ).toBe(0);

    const list = await swp(["subscriptions", "list"]);
    expect(list.status).toBe(0);
    const rows = list.stdout
      .trim()
      .split("\n")
      .map((line) => line.split("\t"));
    expect(rows.map((r) => r.slice(0, 3)).sort()).toEqual([
      ["alice", "0", service.origin],
      ["bob", "13", service.origin],
    ]);
    expect(list.stdout).not.toContain(new URL(a.endpoint).pathname);

    const json = JSON.parse(
      (await swp(["subscriptions", "list", "--group", "13", "--json"])).stdout,
    );
    expect(json).toEqual([
      {
        sessionId: "bob",
        groupId: 13,
        endpoint: b.endpoint,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(json)).not.toContain(b.keys.auth);
    expect(
      JSON.parse((await swp(["subscriptions", "list", "--group", "7", "--json"])).stdout),
    ).toEqual([]);
    expect((await swp(["subscriptions", "count"])).stdout).toBe("2\n");
    expect(
      JSON.parse((await swp(["subscriptions", "count", "-g", "13", "--json"])).stdout),
    ).toEqual({ count: 1 });

    expect(await swp(["subscriptions", "remove", "alice"])).toMatchObject({
      status: 0,
      stdout: "removed\n",
    });
    expect(await swp(["subscriptions", "remove", "alice"])).toMatchObject({
      status: 1,
      stdout: "no subscription for this session id\n",
    });
    expect((await swp(["subscriptions", "count"])).stdout).toBe("1\n");
  });

  it("refuses an empty session id as a usage error", async () => {
    const sub = JSON.stringify(await service.subscribe());
    const out = await swp(["subscriptions", "add", "", "-s", sub]);
    expect(out.status).toBe(64);
    expect(out.stderr.split("\n")[0]).toBe("swp subscriptions: session id must not be empty");
  });
});

describe("swp notify-all", () => {
  async function store(n: number, group = 0) {
    const subs = await Promise.all(Array.from({ length: n }, () => service.subscribe()));
    for (const [i, sub] of subs.entries()) {
      const out = await swp([
        "subscriptions",
        "add",
        `s${group}-${i}`,
        "-s",
        JSON.stringify(sub),
        "-g",
        String(group),
      ]);
      expect(out.status).toBe(0);
    }
    return subs;
  }

  it("sends to everyone but the exceptions, removes gone ones, and sums up in one line", async () => {
    const subs = await store(4);
    service.unsubscribe(subs[0]!);
    const mark = service.messages.length;
    const out = await swp(["notify-all", ...net(), "--except", "s0-3", "team news"]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^3 messages: 2 sent, 1 gone \(removed\), 0 failed in \d+\.\d s\n$/);
    expect(out.stderr).toBe(""); // not a terminal: no progress bar
    expect(service.messages.slice(mark).map((m) => m.text)).toEqual(["team news", "team news"]);
    expect((await swp(["subscriptions", "count"])).stdout).toBe("3\n");
  });

  it("exits with the number of failures, lists them with --json, and filters by group", async () => {
    const subs = await store(3, 5);
    await store(2, 6);
    service.script(subs[0]!, 500);
    service.script(subs[1]!, { status: 400, body: "bad request" });
    const out = await swp(["notify-all", ...net(), "--json", "--retries", "0", "-g", "5", "hello"]);
    expect(out.status).toBe(2);
    const json = JSON.parse(out.stdout);
    expect(json).toMatchObject({ total: 3, sent: 1, gone: 0, failed: 2, errors: [] });
    expect(json.failures.map((f: { statusCode: number }) => f.statusCode).sort()).toEqual([
      400, 500,
    ]);
    expect(json.failures.map((f: { sessionId: string }) => f.sessionId).sort()).toEqual([
      "s5-0",
      "s5-1",
    ]);
    expect(json.failures[0].origin).toBe(service.origin);
  });

  it("draws a progress bar on a terminal and erases it before the summary", async () => {
    await store(3);
    const out = await swp(["notify-all", ...net(), "hi"], { tty: true });
    expect(out.status).toBe(0);
    expect(out.stderr).toContain("\r[");
    expect(out.stderr).toContain("3/3");
    expect(out.stderr.endsWith("\r\x1b[K")).toBe(true);
    const quiet = await swp(["notify-all", ...net(), "--no-progress", "hi"], { tty: true });
    expect(quiet.stderr).toBe("");
  });
});
