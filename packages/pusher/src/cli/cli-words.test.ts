// Issue 13: the CLI's errors name its flags and environment variables, not the JS API's
// options (`new Pusher({ subject })`, `allowHosts`, `allowLocalSubject`), one prefix a line.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PusherError } from "../errors.ts";
import { swpInProcess } from "../test-support/swp-in-process.ts";
import { cliMessage, cliWords } from "./lib/cli-message.ts";

let service: FakePushService;
let dir: string;
let caFile: string;

beforeAll(async () => {
  service = await startFakePushService();
  dir = await mkdtemp(join(tmpdir(), "swp-cli-words-"));
  caFile = join(dir, "ca.pem");
  await writeFile(caFile, service.ca);
});
afterAll(async () => {
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

const swp = (args: string[], env: Record<string, string> = {}) =>
  swpInProcess(args, { SWP_DATA_DIR: dir, SWP_SUBJECT: "mailto:words@example.com", ...env });

/** JS API words that must never reach a CLI user. */
const API_WORDS = /new Pusher|allowHosts|allowLocalSubject|allowHttp|options\.|distributed: true/;

function expectCliWords(text: string) {
  expect(text).not.toMatch(API_WORDS);
  for (const line of text.trimEnd().split("\n")) {
    expect(line.match(/\bswp [a-z-]+: /g)?.length ?? 0, line).toBeLessThanOrEqual(1);
  }
}

describe("swp errors speak CLI", () => {
  it("no subject: --subject, SWP_SUBJECT or VAPID_SUBJECT", async () => {
    const sub = JSON.stringify(await service.subscribe());
    const out = await swp(["send", "--ca", caFile, "--allow-host", "127.0.0.1", "-s", sub, "hi"], {
      SWP_SUBJECT: "",
    });
    expect(out.status).toBe(78);
    expect(out.stderr).toBe(
      'swp send: no VAPID subject: pass --subject "mailto:you@example.com" or set SWP_SUBJECT ' +
        "(or VAPID_SUBJECT); push services use it to contact you (RFC 8292 section 2.1)\n",
    );
    // VAPID_SUBJECT, the name web-push users have, is a fallback.
    const viaVapid = await swp(
      ["send", "--ca", caFile, "--allow-host", "127.0.0.1", "-s", sub, "hi"],
      { SWP_SUBJECT: "", VAPID_SUBJECT: "mailto:web-push-user@example.com" },
    );
    expect(viaVapid.status).toBe(0);
    expect(service.messages.at(-1)?.claims?.sub).toBe("mailto:web-push-user@example.com");
  });

  it("the private-address guard: --allow-host", async () => {
    const sub = JSON.stringify(await service.subscribe());
    const out = await swp(["send", "--ca", caFile, "-s", sub, "hi"]);
    expect(out.status).toBe(1);
    expect(out.stdout).toContain("--allow-host");
    expectCliWords(out.stdout + out.stderr);
  });

  it("a local subject: --allow-local-subject", async () => {
    const sub = JSON.stringify(await service.subscribe());
    const net = ["--ca", caFile, "--allow-host", "127.0.0.1", "-s", sub];
    const out = await swp(["send", ...net, "--subject", "mailto:me@localhost", "hi"]);
    expect(out.status).toBe(78);
    expect(out.stderr).toContain("--allow-local-subject");
    expectCliWords(out.stderr);
    const allowed = await swp([
      "send",
      ...net,
      "--subject",
      "mailto:me@localhost",
      "--allow-local-subject",
      "hi",
    ]);
    expect(allowed.status).toBe(0);
  });

  it("distributed broadcasts: --postgres or SWP_POSTGRES_URL; worker-side options refused as flags", async () => {
    const noPostgres = await swp(["notify-all", "--distributed", "hi"]);
    expect(noPostgres.status).toBe(78);
    expect(noPostgres.stderr.split("\n")[0]).toBe(
      "swp notify-all: this needs PostgreSQL: pass --postgres postgres://user:password@host/db or set SWP_POSTGRES_URL",
    );
    const retries = await swp(["notify-all", "--distributed", "--retries", "2", "hi"]);
    expect(retries.status).toBe(64);
    expect(retries.stderr.split("\n")[0]).toBe(
      "swp notify-all: --timeout and --retries do not travel to the workers: with --distributed, give them to swp worker",
    );
    for (const out of [noPostgres, retries]) expectCliWords(out.stderr);
  });

  it("a missing optional package names what needs it in CLI words, and the npm command", () => {
    for (const [name, flag] of [
      ["@swp/store-sqlite", "the subscriptions database (subscriptors.db, --db)"],
      ["@swp/store-postgres", "--postgres (or SWP_POSTGRES_URL)"],
      ["@swp/broadcast", "--distributed and swp worker"],
    ] as const) {
      const error = new PusherError(
        "ERR_PUSHER_MISSING_PACKAGE",
        `the postgres option needs the optional package ${name}: install it next to @swp/pusher (npm install ${name})`,
      );
      expect(cliMessage(error)).toBe(
        `${flag} needs the optional package ${name}: install it next to @swp/pusher (npm install ${name})`,
      );
    }
  });

  it("a per-message option the push sender refuses is named as its flag", async () => {
    const sub = JSON.stringify(await service.subscribe());
    const topic = await swp(["send", "--ca", caFile, "-s", sub, "--topic", "bad topic!", "hi"]);
    expect(topic.status).toBe(64);
    expect(topic.stderr.split("\n")[0]).toMatch(/^swp send: --topic must be /);
    const timeout = await swp([
      "send",
      "--ca",
      caFile,
      "-s",
      sub,
      "--timeout",
      "99999999999",
      "hi",
    ]);
    expect(timeout.status).toBe(64);
    expect(timeout.stderr.split("\n")[0]).toMatch(/^swp send: --timeout is 99999999999 ms/);
  });

  it("cliWords turns the sender's hint into the flag", () => {
    expect(
      cliWords(
        "refused to connect to 10.0.0.1: private address (SSRF guard); list the host in allowHosts to allow it",
      ),
    ).toBe(
      "refused to connect to 10.0.0.1: private address (SSRF guard); pass --allow-host <host> to allow it",
    );
  });
});
