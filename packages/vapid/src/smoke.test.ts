// Imports the BUILT package by its name (run `tsc -p tsconfig.build.json` first; turbo does).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createVapid,
  generateVapidKeys,
  isSwpError,
  VapidError,
  vapidKeysFromPem,
  vapidKeysToPem,
  verifyVapid,
} from "@swp/vapid";
import { loadOrCreateKeyFile } from "@swp/vapid/node";
import { describe, expect, it } from "vitest";

describe("@swp/vapid (built)", () => {
  it("resolves the node:crypto entry under the node condition", () => {
    expect(import.meta.resolve("@swp/vapid")).toMatch(/\/dist\/node-entry\.js$/);
    expect(import.meta.resolve("@swp/vapid/node")).toMatch(/\/dist\/node\/index\.js$/);
  });

  it("signs and verifies headers, round-trips PEM and keeps a key file", async () => {
    const keys = await generateVapidKeys();
    const again = await vapidKeysFromPem(await vapidKeysToPem(keys, { format: "sec1" }));
    expect(again.publicKey).toEqual(keys.publicKey);
    const vapid = createVapid({ keys, subject: "https://example.com/contact" });
    const { Authorization } = await vapid.headers("https://push.example.net/x");
    const { claims } = await verifyVapid(Authorization!, { audience: "https://push.example.net" });
    expect(claims.sub).toBe("https://example.com/contact");

    const dir = await mkdtemp(join(tmpdir(), "swp-vapid-smoke-"));
    try {
      const first = await loadOrCreateKeyFile(join(dir, "private_key.pem"));
      const second = await loadOrCreateKeyFile(join(dir, "private_key.pem"));
      expect(second.privateKey).toEqual(first.privateKey);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("throws VapidErrors that isSwpError recognises", () => {
    let caught: unknown;
    try {
      createVapid({
        keys: { publicKey: new Uint8Array(65), privateKey: new Uint8Array(32) },
        subject: "x",
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VapidError);
    expect(isSwpError(caught)).toBe(true);
  });
});
