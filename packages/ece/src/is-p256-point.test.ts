import { createECDH } from "node:crypto";
import { base64urlDecode, isP256Point } from "@swp/subscription";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RFC8291 } from "./test-support/vectors.ts";

const P = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n;

function toBytes(n: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(n.toString(16).padStart(64, "0"), "hex"));
}

describe("isP256Point", () => {
  it("accepts the RFC 8291 keys and fresh OpenSSL keys", () => {
    expect(isP256Point(base64urlDecode(RFC8291.uaPublic))).toBe(true);
    expect(isP256Point(base64urlDecode(RFC8291.asPublic))).toBe(true);
    for (let i = 0; i < 20; i++) {
      const ecdh = createECDH("prime256v1");
      expect(isP256Point(new Uint8Array(ecdh.generateKeys()))).toBe(true);
    }
  });

  it("accepts the negated point (x, p - y), which is on the curve too", () => {
    const point = base64urlDecode(RFC8291.uaPublic);
    const y = BigInt(`0x${Buffer.from(point.subarray(33)).toString("hex")}`);
    const negated = new Uint8Array(point);
    negated.set(toBytes(P - y), 33);
    expect(isP256Point(negated)).toBe(true);
  });

  it("rejects wrong lengths, prefixes, coordinates off the curve and out of the field", () => {
    const point = base64urlDecode(RFC8291.uaPublic);
    expect(isP256Point(point.subarray(0, 64))).toBe(false);
    expect(isP256Point(new Uint8Array([...point, 0]))).toBe(false);
    expect(isP256Point(new Uint8Array(65))).toBe(false);
    const compressed = new Uint8Array(point);
    compressed[0] = 0x02;
    expect(isP256Point(compressed)).toBe(false);
    // (0, sqrt(b)) is on the curve; writing its x as p (≡ 0) must still be refused.
    const y0 = 0x66485c780e2f83d72433bd5d84a06bb6541c2af31dae871728bf856a174f93f4n;
    const zero = new Uint8Array(65);
    zero[0] = 4;
    zero.set(toBytes(y0), 33);
    expect(isP256Point(zero)).toBe(true);
    const aliased = new Uint8Array(zero);
    aliased.set(toBytes(P), 1);
    expect(isP256Point(aliased)).toBe(false);
    expect(isP256Point([...point] as never)).toBe(false);
    expect(isP256Point("04" as never)).toBe(false);
  });

  it("agrees with OpenSSL on random coordinates", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.boolean(), (xy, fromKey) => {
        const candidate = new Uint8Array(65);
        candidate[0] = 4;
        if (fromKey) {
          candidate.set(createECDH("prime256v1").generateKeys());
          candidate[1 + (xy[0]! % 64)]! ^= 1 << (xy[1]! % 8);
        } else {
          candidate.set(xy, 1);
        }
        let openssl = true;
        try {
          const probe = createECDH("prime256v1");
          probe.generateKeys();
          probe.computeSecret(candidate);
        } catch {
          openssl = false;
        }
        expect(isP256Point(candidate)).toBe(openssl);
      }),
      { numRuns: 200 },
    );
  });
});
