import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

type Ece = typeof import("./index.ts");

// Imports the BUILT package by name, as a user would; under Node the "node" export condition
// selects dist/node.js. The specifier is a variable so that typechecking does not need dist/.
const packageName = "@swp/ece";
let ece: Ece;
beforeAll(async () => {
  ece = (await import(/* @vite-ignore */ packageName)) as Ece;
});

describe("@swp/ece (built, by name)", () => {
  it("encrypts and decrypts a push message", async () => {
    const keys = await ece.generateSubscriptionKeys();
    const message = new TextEncoder().encode("smoke");
    const { body, headers } = await ece.encrypt(message, keys);
    expect(headers["Content-Encoding"]).toBe("aes128gcm");
    expect(await ece.decrypt(body, keys)).toEqual(message);
    expect(ece.maxPlaintextSize("aes128gcm")).toBe(3993);
    expect(ece.isP256Point(keys.uaPublic)).toBe(true);
  });

  it("selects the node:crypto entry under Node", async () => {
    const nodeEntry = fileURLToPath(new URL("../dist/node.js", import.meta.url));
    const viaPath = (await import(/* @vite-ignore */ nodeEntry)) as Ece;
    expect(ece.encrypt).toBe(viaPath.encrypt);
  });
});
