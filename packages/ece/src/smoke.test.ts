import { fileURLToPath } from "node:url";
import * as shared from "@swp/subscription";
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

  it("shares the error vocabulary with @swp/subscription, though it bundles its own copy", async () => {
    // The bundled classes are other objects than @swp/subscription's...
    expect(ece.SwpError).not.toBe(shared.SwpError);
    // ...yet the same mistake gives the same code, and either copy recognises the other's errors.
    const mine = catchError(() => ece.base64urlDecode("tBHI+JI5"));
    const theirs = catchError(() => shared.base64urlDecode("tBHI+JI5"));
    expect(mine).toMatchObject({ name: "EncodingError", code: "ERR_ENCODING" });
    expect(theirs).toMatchObject({ name: "EncodingError", code: "ERR_ENCODING" });
    expect(mine.message).toBe(theirs.message);
    expect(shared.isSwpError(mine)).toBe(true);
    expect(ece.isSwpError(theirs)).toBe(true);
    const keys = await ece.generateSubscriptionKeys();
    const refused = await ece
      .encrypt(new Uint8Array(1), { ...keys, authSecret: new Uint8Array(3) })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ece.EceError);
    expect(refused).toBeInstanceOf(shared.SwpError);
    expect(refused).not.toBeInstanceOf(shared.SubscriptionError);
  });
});

function catchError(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error("expected a throw");
}
