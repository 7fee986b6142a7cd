// P-256 arithmetic in BigInt (SEC 2 section 2.4.2 / FIPS 186-4 D.1.2.3 constants).
// Used for cheap synchronous validation (is a private scalar in range; whether a public key
// is on the curve is @swp/subscription's isP256Point) and, only where a runtime's WebCrypto
// cannot derive a public key from a bare private scalar, as the fallback for that derivation. Not constant-time: it runs once per
// key load, never per message.

/** Field prime p. */
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
/** Group order n. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const GX = 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n;
const GY = 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n;

/** Big-endian bytes to a non-negative BigInt. */
export function bytesToBigInt(bytes: Uint8Array, start = 0, end = bytes.length): bigint {
  let n = 0n;
  for (let i = start; i < end; i++) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/** A non-negative BigInt as exactly `length` big-endian bytes. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function mod(a: bigint): bigint {
  const r = a % P;
  return r < 0n ? r + P : r;
}

/** True for a 32-byte private scalar d with 1 ≤ d < n (SEC 1 section 3.2.1). */
export function isP256Scalar(bytes: Uint8Array): boolean {
  if (bytes.length !== 32) return false;
  const d = bytesToBigInt(bytes);
  return d > 0n && d < N;
}

// Jacobian coordinates (X, Y, Z) represent (X/Z², Y/Z³); Z = 0 is the point at infinity.
type Jacobian = readonly [bigint, bigint, bigint];

function double([x, y, z]: Jacobian): Jacobian {
  if (z === 0n || y === 0n) return [0n, 1n, 0n];
  // "dbl-2001-b" for a = -3.
  const delta = mod(z * z);
  const gamma = mod(y * y);
  const beta = mod(x * gamma);
  const alpha = mod(3n * (x - delta) * (x + delta));
  const x3 = mod(alpha * alpha - 8n * beta);
  const z3 = mod((y + z) * (y + z) - gamma - delta);
  const y3 = mod(alpha * (4n * beta - x3) - 8n * gamma * gamma);
  return [x3, y3, z3];
}

function add(p: Jacobian, q: Jacobian): Jacobian {
  if (p[2] === 0n) return q;
  if (q[2] === 0n) return p;
  const z1z1 = mod(p[2] * p[2]);
  const z2z2 = mod(q[2] * q[2]);
  const u1 = mod(p[0] * z2z2);
  const u2 = mod(q[0] * z1z1);
  const s1 = mod(p[1] * q[2] * z2z2);
  const s2 = mod(q[1] * p[2] * z1z1);
  const h = mod(u2 - u1);
  const r = mod(s2 - s1);
  if (h === 0n) return r === 0n ? double(p) : [0n, 1n, 0n];
  const hh = mod(h * h);
  const hhh = mod(h * hh);
  const v = mod(u1 * hh);
  const x3 = mod(r * r - hhh - 2n * v);
  const y3 = mod(r * (v - x3) - s1 * hhh);
  const z3 = mod(h * p[2] * q[2]);
  return [x3, y3, z3];
}

function invert(a: bigint): bigint {
  // Fermat: a^(p-2) mod p.
  let result = 1n;
  let base = mod(a);
  let e = P - 2n;
  while (e > 0n) {
    if (e & 1n) result = mod(result * base);
    base = mod(base * base);
    e >>= 1n;
  }
  return result;
}

/**
 * The 65-byte uncompressed public key d·G of a valid 32-byte private scalar (SEC 1 section
 * 3.2.1). Montgomery ladder, so the sequence of curve operations does not depend on d.
 */
export function p256PublicFromScalar(privateKey: Uint8Array): Uint8Array {
  const d = bytesToBigInt(privateKey);
  let r0: Jacobian = [0n, 1n, 0n];
  let r1: Jacobian = [GX, GY, 1n];
  for (let i = 255; i >= 0; i--) {
    if ((d >> BigInt(i)) & 1n) {
      r0 = add(r0, r1);
      r1 = double(r1);
    } else {
      r1 = add(r0, r1);
      r0 = double(r0);
    }
  }
  const zInv = invert(r0[2]);
  const zInv2 = mod(zInv * zInv);
  const out = new Uint8Array(65);
  out[0] = 0x04;
  out.set(bigIntToBytes(mod(r0[0] * zInv2), 32), 1);
  out.set(bigIntToBytes(mod(r0[1] * zInv2 * zInv), 32), 33);
  return out;
}
