// File systems without hard links (some network and FAT mounts) answer link() with EPERM or
// ENOTSUP; the loader then falls back to an exclusive create, and losers wait for the key.
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { vapidKeysFromPem } from "../node.ts";
import { loadOrCreateKeyFile } from "./load-or-create-key-file.ts";

const linkCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...original,
    link: async () => {
      linkCalls.count++;
      throw Object.assign(new Error("operation not permitted"), { code: "EPERM" });
    },
  };
});

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "swp-vapid-nolink-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadOrCreateKeyFile without hard links", () => {
  it("creates the key exclusively with mode 0600 and concurrent callers agree on it", async () => {
    const path = join(dir, "private_key.pem");
    const all = await Promise.all(Array.from({ length: 4 }, () => loadOrCreateKeyFile(path)));
    expect(linkCalls.count).toBeGreaterThanOrEqual(1);
    expect(new Set(all.map((k) => hex(k.publicKey))).size).toBe(1);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const onDisk = await vapidKeysFromPem(await readFile(path, "utf8"));
    expect(hex(onDisk.publicKey)).toBe(hex(all[0]!.publicKey));
    expect((await readdir(dir)).sort()).toEqual(["private_key.pem", "public_key.pem"]);
  });
});
