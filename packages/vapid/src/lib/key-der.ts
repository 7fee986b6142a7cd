// The DER key structures for P-256 keys.
//   SEC 1 ECPrivateKey (RFC 5915 section 3): SEQUENCE { INTEGER 1, OCTET STRING d,
//     [0] OID namedCurve OPTIONAL, [1] BIT STRING publicKey OPTIONAL }
//   PKCS #8 PrivateKeyInfo (RFC 5208 section 5 / RFC 5958 section 2): SEQUENCE { INTEGER 0|1,
//     AlgorithmIdentifier { id-ecPublicKey, prime256v1 }, OCTET STRING { ECPrivateKey },
//     [0] attributes OPTIONAL, [1] publicKey OPTIONAL }
//   SubjectPublicKeyInfo (RFC 5480 section 2): SEQUENCE { AlgorithmIdentifier, BIT STRING Q }

import {
  bytesEqual,
  DerError,
  readBitString,
  readDer,
  readSequence,
  readSmallInteger,
  TAG,
  writeBitString,
  writeDer,
} from "./der.ts";

/** id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480 section 2.1.1), content bytes. */
const OID_EC_PUBLIC_KEY = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01);
/** secp256r1 a.k.a. prime256v1, 1.2.840.10045.3.1.7 (RFC 5480 section 2.1.1.1), content bytes. */
const OID_PRIME256V1 = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07);

/** What a private key structure held: the scalar, and the public key if it was embedded. */
export interface DecodedPrivateKey {
  privateKey: Uint8Array;
  publicKey: Uint8Array | undefined;
}

function curveName(oid: Uint8Array): string {
  // Name the usual suspects so "wrong curve" errors say which one was found.
  const tail = Array.from(oid.subarray(-2)).join(",");
  if (oid.length === 5 && oid[0] === 0x2b && oid[1] === 0x81 && oid[2] === 0x04) {
    if (tail === "0,34") return "P-384 (secp384r1)";
    if (tail === "0,35") return "P-521 (secp521r1)";
    if (tail === "0,10") return "secp256k1";
  }
  return "another curve";
}

function expectP256(element: { tag: number; value: Uint8Array } | undefined, what: string): void {
  if (element?.tag !== TAG.objectIdentifier) throw new DerError(`${what}: expected a curve OID`);
  if (!bytesEqual(element.value, OID_PRIME256V1)) {
    throw new DerError(
      `${what}: key is on ${curveName(element.value)}, expected P-256 (prime256v1)`,
    );
  }
}

function expectEcAlgorithm(element: { tag: number; value: Uint8Array } | undefined): void {
  const [algorithm, parameters] = readSequence(element, "AlgorithmIdentifier");
  if (algorithm?.tag !== TAG.objectIdentifier || !bytesEqual(algorithm.value, OID_EC_PUBLIC_KEY)) {
    throw new DerError("AlgorithmIdentifier: not an elliptic-curve key (id-ecPublicKey)");
  }
  expectP256(parameters, "AlgorithmIdentifier");
}

function decodeEcPrivateKey(der: Uint8Array): DecodedPrivateKey {
  const fields = readSequence(readDer(der), "ECPrivateKey");
  if (readSmallInteger(fields[0], "ECPrivateKey version") !== 1) {
    throw new DerError("ECPrivateKey: version must be 1");
  }
  // The curve first: a P-384 key should be reported as one, not as a too-long scalar.
  let publicKey: Uint8Array | undefined;
  for (const field of fields.slice(2)) {
    if (field.tag === TAG.context0) {
      expectP256(readDer(field.value), "ECPrivateKey parameters");
    } else if (field.tag === TAG.context1) {
      publicKey = readBitString(readDer(field.value), "ECPrivateKey publicKey").slice();
    } else {
      throw new DerError("ECPrivateKey: unexpected field");
    }
  }
  const scalar = fields[1];
  if (scalar?.tag !== TAG.octetString || scalar.value.length === 0 || scalar.value.length > 32) {
    throw new DerError("ECPrivateKey: expected a private key OCTET STRING of at most 32 bytes");
  }
  // RFC 5915 asks for exactly 32 bytes; some writers drop leading zeros, so pad them back.
  const privateKey = new Uint8Array(32);
  privateKey.set(scalar.value, 32 - scalar.value.length);
  return { privateKey, publicKey };
}

/** Reads a SEC 1 `EC PRIVATE KEY` DER body. */
export function decodeSec1(der: Uint8Array): DecodedPrivateKey {
  return decodeEcPrivateKey(der);
}

/** Reads a PKCS #8 `PRIVATE KEY` DER body holding a P-256 key. */
export function decodePkcs8(der: Uint8Array): DecodedPrivateKey {
  const fields = readSequence(readDer(der), "PrivateKeyInfo");
  const version = readSmallInteger(fields[0], "PrivateKeyInfo version");
  if (version !== 0 && version !== 1) throw new DerError("PrivateKeyInfo: version must be 0 or 1");
  expectEcAlgorithm(fields[1]);
  const inner = fields[2];
  if (inner?.tag !== TAG.octetString)
    throw new DerError("PrivateKeyInfo: expected an OCTET STRING");
  const decoded = decodeEcPrivateKey(inner.value);
  for (const field of fields.slice(3)) {
    // RFC 5958 OneAsymmetricKey may carry the public key outside the ECPrivateKey too.
    if (field.tag === TAG.context1Primitive && decoded.publicKey === undefined) {
      decoded.publicKey = readBitString(field, "OneAsymmetricKey publicKey").slice();
    } else if (field.tag !== TAG.context0 && field.tag !== TAG.context1Primitive) {
      throw new DerError("PrivateKeyInfo: unexpected field");
    }
  }
  return decoded;
}

/** Reads a SubjectPublicKeyInfo `PUBLIC KEY` DER body holding a P-256 key. */
export function decodeSpki(der: Uint8Array): Uint8Array {
  const fields = readSequence(readDer(der), "SubjectPublicKeyInfo");
  expectEcAlgorithm(fields[0]);
  if (fields.length !== 2) throw new DerError("SubjectPublicKeyInfo: expected two fields");
  return readBitString(fields[1], "SubjectPublicKeyInfo subjectPublicKey").slice();
}

const ALGORITHM_IDENTIFIER = writeDer(
  TAG.sequence,
  writeDer(TAG.objectIdentifier, OID_EC_PUBLIC_KEY),
  writeDer(TAG.objectIdentifier, OID_PRIME256V1),
);

/**
 * SEC 1 ECPrivateKey. With `curve`, the `[0]` parameters are included, as the standalone
 * `EC PRIVATE KEY` form (openssl, py_vapid) has them; inside PKCS #8 they are left out.
 */
function encodeEcPrivateKey(
  privateKey: Uint8Array,
  publicKey: Uint8Array | undefined,
  curve: boolean,
): Uint8Array {
  const parts = [writeDer(TAG.integer, Uint8Array.of(1)), writeDer(TAG.octetString, privateKey)];
  if (curve) parts.push(writeDer(TAG.context0, writeDer(TAG.objectIdentifier, OID_PRIME256V1)));
  if (publicKey) parts.push(writeDer(TAG.context1, writeBitString(TAG.bitString, publicKey)));
  return writeDer(TAG.sequence, ...parts);
}

/** SEC 1 `EC PRIVATE KEY` DER with curve parameters and public key, as openssl writes it. */
export function encodeSec1(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  return encodeEcPrivateKey(privateKey, publicKey, true);
}

/**
 * PKCS #8 `PRIVATE KEY` DER. The public key is embedded unless omitted (a bare-scalar
 * PKCS #8 is what WebCrypto needs to derive the public key).
 */
export function encodePkcs8(privateKey: Uint8Array, publicKey?: Uint8Array): Uint8Array {
  return writeDer(
    TAG.sequence,
    writeDer(TAG.integer, Uint8Array.of(0)),
    ALGORITHM_IDENTIFIER,
    writeDer(TAG.octetString, encodeEcPrivateKey(privateKey, publicKey, false)),
  );
}

/** SubjectPublicKeyInfo `PUBLIC KEY` DER. */
export function encodeSpki(publicKey: Uint8Array): Uint8Array {
  return writeDer(TAG.sequence, ALGORITHM_IDENTIFIER, writeBitString(TAG.bitString, publicKey));
}
