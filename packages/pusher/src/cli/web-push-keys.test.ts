// Issue 13: keys move freely between web-push and swp. `swp keys --format web-push` prints
// what web-push's `generate-vapid-keys --json` prints; web-push's keys work in swp (through
// VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY) and in `new Pusher({ keys })`; swp's keys work in
// web-push. web-push is the real package (a devDependency of @swp/sender).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent } from "node:https";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { base64urlDecode } from "@swp/ece";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pusher } from "../pusher.ts";
import { packageRoot } from "../test-support/spawn-node.ts";
import { swpInProcess } from "../test-support/swp-in-process.ts";

const requireFromSender = createRequire(join(packageRoot, "..", "sender", "package.json"));
const webPush = requireFromSender("web-push") as {
  sendNotification(
    subscription: unknown,
    payload: string,
    options: Record<string, unknown>,
  ): Promise<{ statusCode: number }>;
};
const webPushCli = join(
  dirname(requireFromSender.resolve("web-push/package.json")),
  "src",
  "cli.js",
);

let service: FakePushService;
let dir: string;
let caFile: string;

beforeAll(async () => {
  service = await startFakePushService();
  dir = await mkdtemp(join(tmpdir(), "swp-web-push-keys-"));
  caFile = join(dir, "ca.pem");
  await writeFile(caFile, service.ca);
});
afterAll(async () => {
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

const net = () => ["--ca", caFile, "--allow-host", "127.0.0.1"];
const KEYS_LINE = /^\{"publicKey":"[A-Za-z0-9_-]{87}","privateKey":"[A-Za-z0-9_-]{43}"\}\n$/;

/** A fresh data directory, so that each test starts without key files. */
async function freshDir(): Promise<string> {
  return mkdtemp(join(dir, "data-"));
}

describe("swp keys --format web-push", () => {
  it("prints exactly the line web-push generate-vapid-keys --json prints for the same keys", async () => {
    const theirs = execFileSync(process.execPath, [webPushCli, "generate-vapid-keys", "--json"], {
      encoding: "utf8",
    });
    expect(theirs).toMatch(KEYS_LINE);
    const keys = JSON.parse(theirs) as { publicKey: string; privateKey: string };
    const data = await freshDir();
    const env = {
      SWP_DATA_DIR: data,
      VAPID_PUBLIC_KEY: keys.publicKey,
      VAPID_PRIVATE_KEY: keys.privateKey,
    };
    const ours = await swpInProcess(["keys", "--format", "web-push"], env);
    expect(ours).toEqual({ status: 0, stdout: theirs, stderr: "" });
    // The keys came from the environment: no key file was created.
    expect(existsSync(join(data, "private_key.pem"))).toBe(false);
    expect((await swpInProcess(["keys"], env)).stdout).toBe(`${keys.publicKey}\n`);
  });

  it("prints the key file's pair, which web-push then sends with", async () => {
    const data = await freshDir();
    const env = { SWP_DATA_DIR: data, SWP_SUBJECT: "mailto:keys@example.com" };
    const out = await swpInProcess(["keys", "--format", "web-push"], env);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(KEYS_LINE);
    const keys = JSON.parse(out.stdout) as { publicKey: string; privateKey: string };
    expect((await swpInProcess(["keys"], env)).stdout).toBe(`${keys.publicKey}\n`);
    expect(existsSync(join(data, "private_key.pem"))).toBe(true);

    const sub = await service.subscribe({ applicationServerKey: base64urlDecode(keys.publicKey) });
    const answer = await webPush.sendNotification(sub, "from web-push with swp's keys", {
      vapidDetails: { subject: "mailto:keys@example.com", ...keys },
      agent: new Agent({ ca: service.ca }),
    });
    expect(answer.statusCode).toBe(201);
    // The fake service checked the VAPID signature against the subscription's key.
    expect(service.messages.at(-1)?.text).toBe("from web-push with swp's keys");
  });
});

describe("web-push's keys in swp and in the Pusher", () => {
  it("swp send signs with VAPID_PRIVATE_KEY; VAPID_PUBLIC_KEY may be left out", async () => {
    const theirs = JSON.parse(
      execFileSync(process.execPath, [webPushCli, "generate-vapid-keys", "--json"], {
        encoding: "utf8",
      }),
    ) as { publicKey: string; privateKey: string };
    const sub = JSON.stringify(
      await service.subscribe({ applicationServerKey: base64urlDecode(theirs.publicKey) }),
    );
    const data = await freshDir();
    for (const env of [
      { VAPID_PUBLIC_KEY: theirs.publicKey, VAPID_PRIVATE_KEY: theirs.privateKey },
      { VAPID_PRIVATE_KEY: theirs.privateKey },
    ]) {
      const out = await swpInProcess(["send", ...net(), "-s", sub, "hi"], {
        SWP_DATA_DIR: data,
        VAPID_SUBJECT: "mailto:env@example.com",
        ...env,
      });
      expect(out.stderr).toBe("");
      expect(out.status).toBe(0);
    }
    expect(existsSync(join(data, "private_key.pem"))).toBe(false);
  });

  it("--key names a key file that wins over the environment", async () => {
    const data = await freshDir();
    const fromFile = await swpInProcess(["keys", "--key", join(data, "k.pem")], {
      SWP_DATA_DIR: data,
    });
    const fromEnv = await swpInProcess(["keys", "--key", join(data, "k.pem")], {
      SWP_DATA_DIR: data,
      VAPID_PRIVATE_KEY: "not even a key",
    });
    expect(fromEnv).toEqual(fromFile);
  });

  it("refuses half a pair, a bad key and a mismatched pair with one line, exit 78, never the value", async () => {
    const a = JSON.parse(
      execFileSync(process.execPath, [webPushCli, "generate-vapid-keys", "--json"], {
        encoding: "utf8",
      }),
    ) as { publicKey: string; privateKey: string };
    const b = JSON.parse(
      execFileSync(process.execPath, [webPushCli, "generate-vapid-keys", "--json"], {
        encoding: "utf8",
      }),
    ) as { publicKey: string; privateKey: string };
    const data = await freshDir();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [
        { VAPID_PUBLIC_KEY: a.publicKey },
        /^swp keys: VAPID_PUBLIC_KEY is set but VAPID_PRIVATE_KEY is not/,
      ],
      [{ VAPID_PRIVATE_KEY: "c2VjcmV0IQ" }, /^swp keys: VAPID_PRIVATE_KEY: /],
      [
        { VAPID_PUBLIC_KEY: b.publicKey, VAPID_PRIVATE_KEY: a.privateKey },
        /^swp keys: VAPID_PRIVATE_KEY \/ VAPID_PUBLIC_KEY: /,
      ],
    ];
    // swp subscriptions never signs: a half-set pair is not its business.
    const listed = await swpInProcess(["subscriptions", "count"], {
      SWP_DATA_DIR: data,
      VAPID_PUBLIC_KEY: a.publicKey,
    });
    expect(listed).toEqual({ status: 0, stdout: "0\n", stderr: "" });
    for (const [env, line] of cases) {
      const out = await swpInProcess(["keys"], { SWP_DATA_DIR: data, ...env });
      expect(out.status, JSON.stringify(Object.keys(env))).toBe(78);
      expect(out.stderr).toMatch(line);
      expect(out.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(out.stderr).not.toContain(a.privateKey);
      expect(out.stderr).not.toContain("c2VjcmV0IQ");
      expect(out.stdout).toBe("");
    }
  });

  it("new Pusher({ keys }) takes the base64url strings and sends with them", async () => {
    const theirs = JSON.parse(
      execFileSync(process.execPath, [webPushCli, "generate-vapid-keys", "--json"], {
        encoding: "utf8",
      }),
    ) as { publicKey: string; privateKey: string };
    const pusher = new Pusher({
      keys: theirs,
      subject: "mailto:strings@example.com",
      ca: service.ca,
      allowHosts: ["127.0.0.1"],
      dbPath: ":memory:",
    });
    expect(await pusher.getUrlB64PublicKey()).toBe(theirs.publicKey);
    expect(await pusher.getUrlB64PrivateKey()).toBe(theirs.privateKey);
    const sub = await service.subscribe({
      applicationServerKey: base64urlDecode(theirs.publicKey),
    });
    expect((await pusher.sendNotification(sub, "with strings")).ok).toBe(true);
    await pusher.close();

    // A pair that does not belong together is refused at first use, naming no key.
    const other = JSON.parse(
      execFileSync(process.execPath, [webPushCli, "generate-vapid-keys", "--json"], {
        encoding: "utf8",
      }),
    ) as { publicKey: string; privateKey: string };
    const mixed = new Pusher({
      keys: { publicKey: other.publicKey, privateKey: theirs.privateKey },
    });
    const error = await mixed.getPublicKey().then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error?.code).toMatch(/^ERR_VAPID_/);
    expect(error?.message).not.toContain(theirs.privateKey);
    await mixed.close();
    // Half strings, half bytes, or empty: a TypeError at construction.
    expect(
      () =>
        new Pusher({
          keys: { publicKey: theirs.publicKey, privateKey: new Uint8Array(32) } as never,
        }),
    ).toThrow(
      /both Uint8Array or both base64url strings; got publicKey: string, privateKey: Uint8Array/,
    );
    expect(() => new Pusher({ keys: { publicKey: "", privateKey: "" } })).toThrow(TypeError);
  });
});
