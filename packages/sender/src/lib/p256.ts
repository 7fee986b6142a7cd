// Synchronous P-256 point check (SEC 1 section 2.3.4 / FIPS 186-4 D.1.2.3 curve constants).
// A subscription's p256dh must be a point on the curve, otherwise encryption fails later
// with an opaque ECDH error; checking y^2 = x^3 - 3x + b here gives a clear message at the
// door. BigInt arithmetic, no crypto library needed.

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

function readBig(bytes: Uint8Array, start: number, end: number): bigint {
  let n = 0n;
  for (let i = start; i < end; i++) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/** True only for a 65-byte uncompressed (0x04-prefixed) point on P-256. */
export function isP256Point(bytes: Uint8Array): boolean {
  if (bytes.length !== 65 || bytes[0] !== 0x04) return false;
  const x = readBig(bytes, 1, 33);
  const y = readBig(bytes, 33, 65);
  if (x >= P || y >= P) return false;
  const lhs = (y * y) % P;
  const rhs = (((x * x) % P) * x - 3n * x + B) % P;
  return lhs === (rhs + P) % P;
}
