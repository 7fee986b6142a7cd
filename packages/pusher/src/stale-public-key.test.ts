// Issue 13, Python coexistence: the original regenerates private_key.pem and never reads
// public_key.pem, so a folder it used can hold a public key file of another key. The
// private key is the truth: the Pusher serves its public key, rewrites the stale file, and
// says so with a warning. The rule lives in @swp/vapid/node; this proves the Pusher gets it.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { base64urlEncode } from "@swp/ece";
import { generateVapidKeys, publicKeyFromPem, publicKeyToPem, vapidKeysToPem } from "@swp/vapid";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Pusher } from "./pusher.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "swp-stale-public-"));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe("a stale public_key.pem beside a valid private key", () => {
  it("is rewritten from the private key, with a warning; the private key is kept", async () => {
    const truth = await generateVapidKeys();
    const stale = await generateVapidKeys();
    const privatePath = join(dir, "private_key.pem");
    const publicPath = join(dir, "public_key.pem");
    // What the Python original leaves: a SEC1 private key, and an older key's public PEM.
    const privatePem = await vapidKeysToPem(truth, { format: "sec1" });
    await writeFile(privatePath, privatePem, { mode: 0o600 });
    await writeFile(publicPath, await publicKeyToPem(stale.publicKey));

    const warnings: Array<{ message: string; code: unknown }> = [];
    vi.spyOn(process, "emitWarning").mockImplementation((warning, options) => {
      const code = typeof options === "object" ? (options as { code?: unknown }).code : undefined;
      warnings.push({ message: String(warning), code });
    });

    const pusher = new Pusher({ keyPath: privatePath, dbPath: ":memory:" });
    expect(await pusher.getUrlB64PublicKey()).toBe(base64urlEncode(truth.publicKey));
    await pusher.close();

    expect(await publicKeyFromPem(await readFile(publicPath, "utf8"))).toEqual(truth.publicKey);
    expect(await readFile(privatePath, "utf8")).toBe(privatePem);
    const rewritten = warnings.filter((w) => w.code === "SWP_VAPID_PUBLIC_KEY_REWRITTEN");
    expect(rewritten).toHaveLength(1);
    expect(rewritten[0]?.message).toContain(publicPath);
    // A warning is no place for a secret.
    expect(rewritten[0]?.message).not.toContain(privatePem.split("\n")[1]);
  });
});
