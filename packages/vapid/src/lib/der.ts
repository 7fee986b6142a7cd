// A small DER reader and writer (ITU-T X.690 section 10), just enough for the three key
// structures VAPID keys travel in: SEC 1 ECPrivateKey (RFC 5915), PKCS #8 PrivateKeyInfo
// (RFC 5208 / RFC 5958) and SubjectPublicKeyInfo (RFC 5480). Written here rather than taken
// from node:crypto so the portable entry reads and writes PEM too.

/** Universal and context tags used by the key structures. */
export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  objectIdentifier: 0x06,
  sequence: 0x30,
  /** `[0]` constructed, explicit (SEC 1 parameters, PKCS #8 attributes). */
  context0: 0xa0,
  /** `[1]` constructed, explicit (SEC 1 public key). */
  context1: 0xa1,
  /** `[1]` primitive, implicit (RFC 5958 OneAsymmetricKey public key). */
  context1Primitive: 0x81,
} as const;

/** One decoded TLV: its tag and the bytes of its value (a view into the input). */
export interface DerElement {
  readonly tag: number;
  readonly value: Uint8Array;
}

/** Thrown by the reader; the caller turns it into a VapidError with context. */
export class DerError extends Error {}

/** Reads the TLV at `offset`; returns it and the offset just past it. */
function readElement(bytes: Uint8Array, offset: number): { element: DerElement; next: number } {
  if (offset + 2 > bytes.length) throw new DerError("truncated DER: no room for tag and length");
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError("unsupported DER: multi-byte tag");
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    // Indefinite length (0x80) is BER, not DER; four length bytes are far beyond any key.
    if (count === 0 || count > 3) throw new DerError("invalid DER length");
    if (start + count > bytes.length) throw new DerError("truncated DER length");
    length = 0;
    for (let i = 0; i < count; i++) length = (length << 8) | bytes[start + i]!;
    if (length < 0x80 || (count > 1 && bytes[start] === 0)) {
      throw new DerError("non-minimal DER length");
    }
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) throw new DerError("truncated DER value");
  return { element: { tag, value: bytes.subarray(start, end) }, next: end };
}

/** Decodes exactly one element spanning all of `bytes`. */
export function readDer(bytes: Uint8Array): DerElement {
  const { element, next } = readElement(bytes, 0);
  if (next !== bytes.length) throw new DerError("trailing bytes after DER value");
  return element;
}

/** Decodes the children of a constructed value (for example a SEQUENCE's value). */
export function readChildren(value: Uint8Array): DerElement[] {
  const children: DerElement[] = [];
  let offset = 0;
  while (offset < value.length) {
    const { element, next } = readElement(value, offset);
    children.push(element);
    offset = next;
  }
  return children;
}

/** Decodes a SEQUENCE into its children; throws when `element` is not one. */
export function readSequence(element: DerElement | undefined, what: string): DerElement[] {
  if (element?.tag !== TAG.sequence) throw new DerError(`${what}: expected a SEQUENCE`);
  return readChildren(element.value);
}

/** A small non-negative INTEGER (versions) as a number. */
export function readSmallInteger(element: DerElement | undefined, what: string): number {
  if (element?.tag !== TAG.integer || element.value.length === 0 || element.value.length > 4) {
    throw new DerError(`${what}: expected a small INTEGER`);
  }
  let n = 0;
  for (const byte of element.value) n = n * 256 + byte;
  return n;
}

/** The content of a BIT STRING without unused bits (public keys are whole bytes). */
export function readBitString(element: DerElement | undefined, what: string): Uint8Array {
  if (element?.tag !== TAG.bitString && element?.tag !== TAG.context1Primitive) {
    throw new DerError(`${what}: expected a BIT STRING`);
  }
  if (element.value[0] !== 0) throw new DerError(`${what}: BIT STRING with unused bits`);
  return element.value.subarray(1);
}

/** True when two byte arrays are equal (OIDs are compared in their encoded form). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Encodes one TLV. */
export function writeDer(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const header =
    length < 0x80
      ? [tag, length]
      : length < 0x100
        ? [tag, 0x81, length]
        : [tag, 0x82, length >> 8, length & 0xff];
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  let offset = header.length;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A BIT STRING of whole bytes (no unused bits). */
export function writeBitString(tag: number, content: Uint8Array): Uint8Array {
  return writeDer(tag, Uint8Array.of(0), content);
}
