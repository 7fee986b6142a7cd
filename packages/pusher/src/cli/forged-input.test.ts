// Issue 15: what others choose (session ids from cookies, push services' answers, file
// names) reaches the terminal escaped, never raw: no ANSI sequence, no carriage return or
// newline that rewrites or forges a line, no bidi control that reorders it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakePushService, startFakePushService } from "@swp/testing";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pusher } from "../pusher.ts";
import { swpInProcess } from "../test-support/swp-in-process.ts";

let service: FakePushService;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  service = await startFakePushService();
  dir = await mkdtemp(join(tmpdir(), "swp-forged-"));
  await writeFile(join(dir, "ca.pem"), service.ca);
  env = { SWP_DATA_DIR: dir, SWP_SUBJECT: "mailto:forged@example.com" };
});
afterAll(async () => {
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

const net = () => ["--ca", join(dir, "ca.pem"), "--allow-host", "127.0.0.1"];
const swp = (args: string[]) => swpInProcess(args, env);

/**
 * Characters no human output may carry raw: C0 (but the tab and line feed swp itself writes
 * between fields and lines: the column and row counts below check those), DEL, C1, bidi.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what the test looks for.
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

describe("human output of swp escapes what others chose", () => {
  it("a forged session id in the database is listed on one line, escaped", async () => {
    const pusher = new Pusher({
      dbPath: join(dir, "subscriptors.db"),
      keyPath: join(dir, "private_key.pem"),
    });
    await pusher.newSubscription("placeholder", await service.subscribe());
    await pusher.newSubscription("honest", await service.subscribe());
    await pusher.close();
    // The forged row: written behind the store's back, as another program could.
    const forged = "\u001b[2J\u001b[31mroot\rfake\tcolumn\nforged-row\u009b1m\u202eevil\u0000";
    const db = new Database(join(dir, "subscriptors.db"));
    db.prepare("UPDATE subscriptions SET session_id = ? WHERE session_id = 'placeholder'").run(
      forged,
    );
    db.close();

    const out = await swp(["subscriptions", "list"]);
    expect(out.status).toBe(0);
    expect(out.stdout).not.toMatch(RAW);
    const lines = out.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2); // no forged extra row
    for (const line of lines) expect(line.split("\t")).toHaveLength(4); // no forged column
    expect(lines[0]).toMatch(
      /^\\x1b\[2J\\x1b\[31mroot\\rfake\\tcolumn\\nforged-row\\x9b1m\\u\{202e\}evil\\x00\t0\thttps:\/\/127\.0\.0\.1:\d+\t/,
    );
    expect(lines[1]).toMatch(/^honest\t0\t/);
    // --json stays faithful (JSON escapes what it must): a script gets the real id back.
    const json = await swp(["subscriptions", "list", "--json"]);
    expect(JSON.parse(json.stdout).map((r: { sessionId: string }) => r.sessionId)).toEqual([
      forged,
      "honest",
    ]);
  });

  it("a push service's error text is escaped in the result line and in verbose lines", async () => {
    const sub = await service.subscribe();
    service.script(sub, {
      status: 400,
      body: "\u001b]0;pwned\u0007bad \u001b[31mrequest\u009b2J \u2067reordered\u2069",
    });
    const out = await swp(["send", ...net(), "-v", "-s", JSON.stringify(sub), "hi"]);
    expect(out.status).toBe(1);
    expect(out.stdout).not.toMatch(RAW);
    expect(out.stderr).not.toMatch(RAW);
    expect(out.stdout).toContain(
      "\\x1b]0;pwned\\x07bad \\x1b[31mrequest\\x9b2J \\u{2067}reordered",
    );
    expect(out.stderr).toMatch(/^\[swp\] 400 /);
    expect(out.stderr).toContain("\\x9b2J");
  });

  it("arguments quoted back in error lines are escaped: an unknown command, a file name", async () => {
    const command = await swp(["\u001b[31mred"]);
    expect(command.status).toBe(64);
    expect(command.stderr.split("\n")[0]).toBe("swp: unknown command '\\x1b[31mred'");
    const file = await swp(["send", ...net(), "-s", "no\u001b[8mhidden.json", "hi"]);
    expect(file.status).toBe(66);
    expect(file.stderr).toBe(
      "swp send: cannot read subscription file no\\x1b[8mhidden.json: ENOENT\n",
    );
  });
});
