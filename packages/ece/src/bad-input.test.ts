import { base64urlDecode as b64 } from "@swp/subscription";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { EceError, type EceErrorCode } from "./errors.ts";
import { craftContent, craftLegacy } from "./test-support/craft.ts";
import { implementations } from "./test-support/implementations.ts";
import type { EncryptOptions, SubscriptionKeys } from "./types.ts";

async function rejection(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, got a result");
}

async function expectEce(
  work: () => Promise<unknown>,
  code: EceErrorCode,
  message: RegExp,
): Promise<void> {
  const error = await rejection(work);
  expect(error).toBeInstanceOf(EceError);
  expect((error as EceError).code).toBe(code);
  expect((error as EceError).message).toMatch(message);
}

async function expectThrows(
  work: () => Promise<unknown>,
  type: typeof TypeError | typeof RangeError,
  message: RegExp,
): Promise<void> {
  const error = await rejection(work);
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
}

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);
const P = b64("_____wAAAAEAAAAAAAAAAAAAAAD_______________8"); // the field prime, 32 bytes
const ORDER = b64("_____wAAAAD__________7zm-q2nF56E87nKwvxjJVE"); // the group order

describe.each(implementations)("bad input (%s entry)", (_name, ece, primitives) => {
  let keys: SubscriptionKeys;
  let other: SubscriptionKeys;
  beforeAll(async () => {
    keys = await ece.generateSubscriptionKeys();
    other = await ece.generateSubscriptionKeys();
  });
  const hello = new TextEncoder().encode("hello");

  describe("encrypt", () => {
    it("rejects a uaPublic that is not 65 bytes", async () => {
      await expectEce(
        () => ece.encrypt(hello, { ...keys, uaPublic: keys.uaPublic.subarray(0, 64) }),
        "ERR_ECE_INVALID_PUBLIC_KEY",
        /uaPublic must be a 65-byte uncompressed P-256 point, got 64 bytes/,
      );
    });

    it("rejects a uaPublic without the 0x04 prefix", async () => {
      const compressed = new Uint8Array(keys.uaPublic);
      compressed[0] = 0x03;
      await expectEce(
        () => ece.encrypt(hello, { ...keys, uaPublic: compressed }),
        "ERR_ECE_INVALID_PUBLIC_KEY",
        /uaPublic .* starting with 0x04, got a first byte of 0x03/,
      );
    });

    it("rejects a uaPublic that is not on P-256", async () => {
      const off = new Uint8Array(keys.uaPublic);
      off[64]! ^= 1;
      await expectEce(
        () => ece.encrypt(hello, { ...keys, uaPublic: off }),
        "ERR_ECE_INVALID_PUBLIC_KEY",
        /uaPublic .* not a point on the curve/,
      );
      const outside = new Uint8Array(65);
      outside[0] = 4;
      outside.set(P, 1); // x = p is not a field element
      await expectEce(
        () => ece.encrypt(hello, { ...keys, uaPublic: outside }),
        "ERR_ECE_INVALID_PUBLIC_KEY",
        /not a point on the curve/,
      );
    });

    it("reports an off-curve uaPublic first, even when later options are bad too", async () => {
      // The node entry checks the curve only after a failure; the order must not change.
      const off = new Uint8Array(keys.uaPublic);
      off[64]! ^= 1;
      const notOnCurve = /uaPublic .* not a point on the curve/;
      const worse: Partial<EncryptOptions>[] = [
        { authSecret: bytes(3) },
        { salt: bytes(3) },
        { asKeyPair: { publicKey: other.uaPublic, privateKey: keys.uaPrivate } },
        { asKeyPair: { publicKey: other.uaPublic, privateKey: other.uaPrivate } },
        { encoding: "aesgcm" },
      ];
      for (const extra of worse) {
        await expectEce(
          () => ece.encrypt(hello, { ...keys, uaPublic: off, ...extra }),
          "ERR_ECE_INVALID_PUBLIC_KEY",
          notOnCurve,
        );
      }
      await expectEce(
        () => ece.encrypt(new Uint8Array(5000), { ...keys, uaPublic: off }),
        "ERR_ECE_INVALID_PUBLIC_KEY",
        notOnCurve,
      );
    });

    it("rejects an authSecret that is not 16 bytes", async () => {
      for (const n of [0, 15, 17]) {
        await expectEce(
          () => ece.encrypt(hello, { ...keys, authSecret: bytes(n) }),
          "ERR_ECE_INVALID_AUTH_SECRET",
          new RegExp(`authSecret must be 16 bytes, got ${n}`),
        );
      }
    });

    it("accepts exactly the largest plaintext and refuses one more byte, naming both sizes", async () => {
      for (const [encoding, max] of [
        ["aes128gcm", 3993],
        ["aesgcm", 4078],
      ] as const) {
        const fits = await ece.encrypt(bytes(max), { ...keys, encoding });
        expect(fits.body.length).toBe(4096);
        await expectEce(
          () => ece.encrypt(bytes(max + 1), { ...keys, encoding }),
          "ERR_ECE_PAYLOAD_TOO_LARGE",
          new RegExp(
            `a ${max + 1}-byte plaintext makes a 4097-byte ${encoding} body.*at most 4096 bytes.*at most ${max} bytes`,
          ),
        );
      }
      await expectEce(
        () => ece.encrypt(bytes(3984), { ...keys, padding: 10 }),
        "ERR_ECE_PAYLOAD_TOO_LARGE",
        /3984-byte plaintext with 10 bytes of padding makes a 4097-byte/,
      );
    });

    it("rejects bad padding, encoding, salt and argument types", async () => {
      await expectThrows(() => ece.encrypt(hello, { ...keys, padding: -1 }), RangeError, /padding/);
      await expectThrows(
        () => ece.encrypt(hello, { ...keys, padding: 1.5 }),
        RangeError,
        /padding/,
      );
      await expectThrows(
        () => ece.encrypt(hello, { ...keys, padding: 3994 }),
        RangeError,
        /padding must be at most 3993/,
      );
      await expectThrows(
        () => ece.encrypt(hello, { ...keys, padding: "3" as never }),
        TypeError,
        /padding must be a number, got a string/,
      );
      await expectThrows(
        () => ece.encrypt(hello, { ...keys, encoding: "aes256gcm" as never }),
        TypeError,
        /encoding must be "aes128gcm" or "aesgcm", got "aes256gcm"/,
      );
      await expectThrows(
        () => ece.encrypt("hello" as never, keys),
        TypeError,
        /plaintext must be a Uint8Array, got a string/,
      );
      await expectThrows(() => ece.encrypt(hello, undefined as never), TypeError, /options/);
      await expectThrows(
        () => ece.encrypt(hello, { ...keys, uaPublic: [4, 1, 2] as never }),
        TypeError,
        /uaPublic must be a Uint8Array, got a Array/,
      );
      await expectEce(
        () => ece.encrypt(hello, { ...keys, salt: bytes(15) }),
        "ERR_ECE_INVALID_SALT",
        /salt must be 16 bytes, got 15/,
      );
    });

    it("rejects a sender key pair whose halves do not belong together", async () => {
      await expectEce(
        () =>
          ece.encrypt(hello, {
            ...keys,
            asKeyPair: { publicKey: other.uaPublic, privateKey: keys.uaPrivate },
          }),
        "ERR_ECE_INVALID_PRIVATE_KEY",
        /asKeyPair.privateKey does not belong to asKeyPair.publicKey/,
      );
      for (const privateKey of [bytes(32, 0), ORDER, bytes(31)]) {
        await expectEce(
          () =>
            ece.encrypt(hello, { ...keys, asKeyPair: { publicKey: other.uaPublic, privateKey } }),
          "ERR_ECE_INVALID_PRIVATE_KEY",
          /asKeyPair.privateKey must be/,
        );
      }
    });
  });

  describe("encryptContent", () => {
    const key = bytes(16);
    it("rejects a record size below 18 or above 2^32 - 1", async () => {
      for (const recordSize of [0, 17, 2 ** 32, 20.5]) {
        await expectEce(
          () => ece.encryptContent(hello, { key, recordSize }),
          "ERR_ECE_INVALID_RECORD_SIZE",
          new RegExp(`recordSize must be an integer from 18 to 4294967295.*got ${recordSize}`),
        );
      }
      const smallest = await ece.encryptContent(hello, { key, recordSize: 18 });
      expect(smallest.length).toBe(21 + 5 * 18); // five one-octet records
      expect(await ece.decryptContent(smallest, { key })).toEqual(hello);
    });

    it("rejects a key id longer than 255 bytes", async () => {
      await expectEce(
        () => ece.encryptContent(hello, { key, keyId: bytes(256) }),
        "ERR_ECE_INVALID_KEY_ID",
        /keyId must be at most 255 bytes .*got 256/,
      );
      const longest = await ece.encryptContent(hello, { key, keyId: bytes(255) });
      expect(longest[20]).toBe(255);
    });

    it("refuses a body too large for one Uint8Array instead of failing inside the crypto", async () => {
      await expectThrows(
        () => ece.encryptContent(hello, { key, padding: 2 ** 40 }),
        RangeError,
        /would make a \d+-byte body; the limit is 2147483647/,
      );
    });

    it("rejects a key or salt of the wrong length", async () => {
      await expectEce(
        () => ece.encryptContent(hello, { key: bytes(32) }),
        "ERR_ECE_INVALID_KEY",
        /key must be 16 bytes, got 32/,
      );
      await expectEce(
        () => ece.encryptContent(hello, { key, salt: bytes(8) }),
        "ERR_ECE_INVALID_SALT",
        /salt must be 16 bytes, got 8/,
      );
    });
  });

  describe("decrypt and decryptContent", () => {
    const key = bytes(16, 9);

    it("reject a truncated header", async () => {
      const body = await ece.encryptContent(hello, { key, keyId: bytes(10) });
      await expectEce(
        () => ece.decryptContent(body.subarray(0, 20), { key }),
        "ERR_ECE_DECRYPT",
        /truncated header: the body is 20 bytes/,
      );
      await expectEce(
        () => ece.decryptContent(body.subarray(0, 25), { key }),
        "ERR_ECE_DECRYPT",
        /truncated header: the key id is 10 bytes but the body ends 6 bytes early/,
      );
      await expectEce(
        () => ece.decrypt(body.subarray(0, 3), keys),
        "ERR_ECE_DECRYPT",
        /truncated header/,
      );
    });

    it("reject a header record size below 18, and a header with no record", async () => {
      const body = await ece.encryptContent(hello, { key });
      const tiny = new Uint8Array(body);
      tiny.set([0, 0, 0, 17], 16);
      await expectEce(
        () => ece.decryptContent(tiny, { key }),
        "ERR_ECE_DECRYPT",
        /record size is 17, RFC 8188 needs at least 18/,
      );
      await expectEce(
        () => ece.decryptContent(body.subarray(0, 21), { key }),
        "ERR_ECE_DECRYPT",
        /no record/,
      );
    });

    it("decrypt rejects a key id that is not a 65-byte sender key", async () => {
      const body = await ece.encryptContent(hello, { key, keyId: new TextEncoder().encode("a1") });
      await expectEce(
        () => ece.decrypt(body, keys),
        "ERR_ECE_DECRYPT",
        /key id must be the sender's 65-byte P-256 public key, got 2 bytes/,
      );
      const pushBody = (await ece.encrypt(hello, keys)).body;
      pushBody[30]! ^= 0x10;
      await expectEce(() => ece.decrypt(pushBody, keys), "ERR_ECE_DECRYPT", /not a point/);
    });

    it("reject the wrong key, the wrong auth secret and the wrong receiver", async () => {
      const body = await ece.encryptContent(hello, { key });
      await expectEce(
        () => ece.decryptContent(body, { key: bytes(16, 8) }),
        "ERR_ECE_DECRYPT",
        /record 0 failed authentication/,
      );
      for (const encoding of ["aes128gcm", "aesgcm"] as const) {
        const sent = await ece.encrypt(hello, { ...keys, encoding });
        const extra = { encoding, salt: sent.salt, asPublic: sent.asPublic };
        await expectEce(
          () => ece.decrypt(sent.body, { ...keys, ...extra, authSecret: other.authSecret }),
          "ERR_ECE_DECRYPT",
          /failed authentication/,
        );
        await expectEce(
          () => ece.decrypt(sent.body, { ...other, ...extra }),
          "ERR_ECE_DECRYPT",
          /failed authentication/,
        );
      }
    });

    it("reject a private key that does not belong to uaPublic", async () => {
      const { body } = await ece.encrypt(hello, keys);
      await expectEce(
        () => ece.decrypt(body, { ...keys, uaPrivate: other.uaPrivate }),
        "ERR_ECE_INVALID_PRIVATE_KEY",
        /uaPrivate does not belong to uaPublic/,
      );
      await expectEce(
        () => ece.decrypt(body, { ...keys, uaPrivate: ORDER }),
        "ERR_ECE_INVALID_PRIVATE_KEY",
        /uaPrivate must be a P-256 scalar/,
      );
    });

    it("reject wrong padding delimiters and a final record without one", async () => {
      const r = (...octets: number[]) => new Uint8Array(octets);
      const cases: [Uint8Array[], RegExp][] = [
        [[r(104, 105, 1)], /final record 0 has delimiter 0x01, so the body is truncated/],
        [[r(104, 105, 3, 0)], /record 0 has padding delimiter 0x03, expected 0x02/],
        [[r(104, 0, 0, 0)], /record 0 has padding delimiter 0x68, expected 0x02/],
        [[r(0, 0, 0)], /record 0 has no padding delimiter/],
        [[r(104, 2), r(105, 2)], /record 0 is not the last but has padding delimiter 0x02/],
        [[r(104, 1), r(105, 1)], /final record 1 has delimiter 0x01/],
        [[r()], /record 0 is 16 bytes, too short/],
      ];
      for (const [records, message] of cases) {
        // rs = 18 makes the 2-octet records of multi-record cases full-size, as RFC 8188
        // requires of every non-final record.
        const body = await craftContent(primitives, key, records.length > 1 ? 18 : 4096, records);
        await expectEce(() => ece.decryptContent(body, { key }), "ERR_ECE_DECRYPT", message);
      }
      const good = await craftContent(primitives, key, 18, [r(104, 1), r(105, 2)]);
      expect(new TextDecoder().decode(await ece.decryptContent(good, { key }))).toBe("hi");
    });

    it("aesgcm: rejects missing header values and bad padding", async () => {
      const sent = await ece.encrypt(hello, { ...keys, encoding: "aesgcm" });
      await expectEce(
        () => ece.decrypt(sent.body, { ...keys, encoding: "aesgcm", asPublic: sent.asPublic }),
        "ERR_ECE_INVALID_SALT",
        /aesgcm needs the salt/,
      );
      await expectEce(
        () => ece.decrypt(sent.body, { ...keys, encoding: "aesgcm", salt: sent.salt }),
        "ERR_ECE_INVALID_PUBLIC_KEY",
        /aesgcm needs the sender key/,
      );
      await expectEce(
        () =>
          ece.decrypt(sent.body, {
            ...keys,
            encoding: "aesgcm",
            salt: sent.salt,
            asPublic: sent.asPublic.subarray(1),
          }),
        "ERR_ECE_INVALID_PUBLIC_KEY",
        /asPublic must be a 65-byte uncompressed P-256 point, got 64 bytes/,
      );
      const legacy = (records: Uint8Array[]) => craftLegacy(primitives, keys, records);
      const cases: [Uint8Array[], RegExp][] = [
        [[new Uint8Array([0, 5, 0, 0])], /claims 5 bytes of padding but holds 2/],
        [[new Uint8Array([0, 2, 0, 1, 104])], /non-zero padding/],
      ];
      for (const [records, message] of cases) {
        const { body, salt, asPublic } = await legacy(records);
        await expectEce(
          () => ece.decrypt(body, { ...keys, encoding: "aesgcm", salt, asPublic }),
          "ERR_ECE_DECRYPT",
          message,
        );
      }
      const full = await legacy([new Uint8Array(4096)]);
      await expectEce(
        () => ece.decrypt(full.body, { ...keys, encoding: "aesgcm", ...full }),
        "ERR_ECE_DECRYPT",
        /ends on a full record, so its final record is missing/,
      );
      await expectEce(
        () => ece.decrypt(new Uint8Array(0), { ...keys, encoding: "aesgcm", ...full }),
        "ERR_ECE_DECRYPT",
        /empty/,
      );
      await expectEce(
        () => ece.decrypt(new Uint8Array(17), { ...keys, encoding: "aesgcm", ...full }),
        "ERR_ECE_DECRYPT",
        /too short/,
      );
    });

    it("random bytes only ever produce ERR_ECE_DECRYPT", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 400 }),
          fc.boolean(),
          async (garbage, pushLike) => {
            // Half the inputs get a plausible header so the record code is reached too.
            if (pushLike && garbage.length > 21) garbage[20] = 0;
            for (const work of [
              () => ece.decryptContent(garbage, { key }),
              () => ece.decrypt(garbage, keys),
              () =>
                ece.decrypt(garbage, {
                  ...keys,
                  encoding: "aesgcm",
                  salt: key,
                  asPublic: keys.uaPublic,
                }),
            ]) {
              const error = await rejection(work);
              expect((error as EceError).code).toBe("ERR_ECE_DECRYPT");
            }
          },
        ),
        { numRuns: 100 },
      );
    });
  });
});
