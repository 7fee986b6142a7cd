import { isP256Point } from "@swp/subscription";
import { describe, expect, it } from "vitest";
import { implementations } from "./test-support/implementations.ts";

const ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe.each(implementations)("keys and outputs (%s entry)", (_name, ece) => {
  it("generateSubscriptionKeys returns a valid, fresh P-256 pair and auth secret", async () => {
    const a = await ece.generateSubscriptionKeys();
    const b = await ece.generateSubscriptionKeys();
    expect(a.uaPublic.length).toBe(65);
    expect(isP256Point(a.uaPublic)).toBe(true);
    expect(a.uaPrivate.length).toBe(32);
    const d = BigInt(`0x${hex(a.uaPrivate)}`);
    expect(d > 0n && d < ORDER).toBe(true);
    expect(a.authSecret.length).toBe(16);
    expect(hex(a.uaPrivate)).not.toBe(hex(b.uaPrivate));
    expect(hex(a.authSecret)).not.toBe(hex(b.authSecret));
  });

  it("uses a fresh sender key pair and salt for every message", async () => {
    const keys = await ece.generateSubscriptionKeys();
    const message = new Uint8Array(10);
    const one = await ece.encrypt(message, keys);
    const two = await ece.encrypt(message, keys);
    expect(hex(one.salt)).not.toBe(hex(two.salt));
    expect(hex(one.asPublic)).not.toBe(hex(two.asPublic));
    expect(hex(one.body.subarray(0, 16))).toBe(hex(one.salt));
    expect(hex(one.body.subarray(21, 86))).toBe(hex(one.asPublic));
  });

  it("returns plain Uint8Arrays that own their memory, never Buffers or pool views", async () => {
    const keys = await ece.generateSubscriptionKeys();
    const result = await ece.encrypt(new Uint8Array(5), keys);
    const plain = await ece.decrypt(result.body, keys);
    const content = await ece.encryptContent(new Uint8Array(5), { key: new Uint8Array(16) });
    for (const bytes of [
      keys.uaPublic,
      keys.uaPrivate,
      keys.authSecret,
      result.body,
      result.salt,
      result.asPublic,
      plain,
      content,
    ]) {
      expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(bytes.length);
    }
  });
});

describe("the two entries interoperate", () => {
  const [[, node], [, portable]] = implementations as [
    (typeof implementations)[number],
    (typeof implementations)[number],
  ];

  it("export the same names", () => {
    expect(Object.keys(node).sort()).toEqual(Object.keys(portable).sort());
  });

  for (const [from, to, label] of [
    [node, portable, "node → portable"],
    [portable, node, "portable → node"],
  ] as const) {
    it(`messages encrypted by one decrypt with the other (${label})`, async () => {
      const keys = await to.generateSubscriptionKeys();
      for (const encoding of ["aes128gcm", "aesgcm"] as const) {
        const message = new TextEncoder().encode(`${label} ${encoding}`);
        const sent = await from.encrypt(message, { ...keys, encoding, padding: 4 });
        const back = await to.decrypt(sent.body, {
          ...keys,
          encoding,
          salt: sent.salt,
          asPublic: sent.asPublic,
        });
        expect(back).toEqual(message);
      }
    });
  }
});
