// NIST P-256 domain parameters (SEC 2 section 2.4.2): y^2 = x^3 - 3x + b over GF(p).
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

const HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

// Big-endian bytes [start, end) as a BigInt, through one hex string: faster than shifting a
// BigInt byte by byte.
function bytesToBigInt(bytes: Uint8Array, start: number, end: number): bigint {
  let hex = "0x0";
  for (let i = start; i < end; i++) hex += HEX[bytes[i]!]!;
  return BigInt(hex);
}

/**
 * True only for a 65-byte uncompressed (`0x04 || X || Y`) point that lies on the P-256 curve:
 * the form of a subscription's `p256dh` key (RFC 8291 section 3.1) and of a VAPID public key
 * (RFC 8292 section 3.2). Synchronous and pure (BigInt arithmetic), so it can check input
 * before any crypto runs.
 *
 * @example
 * ```ts
 * if (!isP256Point(base64urlDecode(subscription.keys.p256dh))) throw new Error("bad p256dh");
 * ```
 */
export function isP256Point(bytes: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 65 || bytes[0] !== 0x04) return false;
  const x = bytesToBigInt(bytes, 1, 33);
  const y = bytesToBigInt(bytes, 33, 65);
  if (x >= P || y >= P) return false;
  const rhs = (((((x * x) % P) * x - 3n * x + B) % P) + P) % P;
  return (y * y) % P === rhs;
}
