import { createECDH } from "node:crypto";
import { isP256Point } from "@swp/subscription";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bigIntToBytes, isP256Scalar, p256PublicFromScalar } from "./p256.ts";

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

describe("p256", () => {
  it("derives the same public key as OpenSSL for random scalars", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: N - 1n }), (d) => {
        const privateKey = bigIntToBytes(d, 32);
        const ecdh = createECDH("prime256v1");
        ecdh.setPrivateKey(privateKey);
        const derived = p256PublicFromScalar(privateKey);
        expect(Buffer.from(derived).equals(ecdh.getPublicKey())).toBe(true);
        expect(isP256Point(derived)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("handles the edge scalars 1 and n-1 (G and -G)", () => {
    const g = p256PublicFromScalar(bigIntToBytes(1n, 32));
    const minusG = p256PublicFromScalar(bigIntToBytes(N - 1n, 32));
    expect(Buffer.from(g.subarray(1, 33)).toString("hex")).toBe(
      "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
    );
    expect(Buffer.from(minusG.subarray(1, 33)).equals(Buffer.from(g.subarray(1, 33)))).toBe(true);
    expect(Buffer.from(minusG.subarray(33)).equals(Buffer.from(g.subarray(33)))).toBe(false);
  });

  it("rejects points off the curve, compressed points and wrong lengths", () => {
    const good = p256PublicFromScalar(bigIntToBytes(12345n, 32));
    const off = good.slice();
    off[64] = off[64]! ^ 1;
    expect(isP256Point(off)).toBe(false);
    expect(isP256Point(good.subarray(0, 33))).toBe(false);
    const prefix = good.slice();
    prefix[0] = 0x05;
    expect(isP256Point(prefix)).toBe(false);
  });

  it("accepts scalars in [1, n-1] only", () => {
    expect(isP256Scalar(bigIntToBytes(0n, 32))).toBe(false);
    expect(isP256Scalar(bigIntToBytes(1n, 32))).toBe(true);
    expect(isP256Scalar(bigIntToBytes(N - 1n, 32))).toBe(true);
    expect(isP256Scalar(bigIntToBytes(N, 32))).toBe(false);
    expect(isP256Scalar(new Uint8Array(31).fill(1))).toBe(false);
  });
});
