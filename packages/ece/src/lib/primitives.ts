/**
 * The few cryptographic operations the RFC logic needs. Each entry implements this once:
 * `primitives-webcrypto.ts` (WebCrypto, every runtime) and `primitives-node.ts`
 * (node:crypto's synchronous calls). Everything else (headers, padding, records, key
 * schedule, validation, errors) is shared and never sees which one it runs on.
 *
 * Inputs have been validated before a primitive is called: keys have the right length and
 * public keys are on the curve.
 */
export interface Primitives {
  /** Cryptographically secure random bytes. */
  randomBytes(length: number): Uint8Array;
  /** A fresh P-256 key pair as raw bytes (65-byte public point, 32-byte scalar). */
  generateKeyPair(): Promise<{ publicKey: Uint8Array; privateKey: Uint8Array }>;
  /**
   * ECDH on P-256 with `peerPublic`. Uses `own` when given, otherwise a fresh ephemeral key
   * pair (which never leaves the primitive). Returns our public key and the 32-byte shared
   * secret (the X coordinate).
   */
  agree(
    peerPublic: Uint8Array,
    own?: { publicKey: Uint8Array; privateKey: Uint8Array },
  ): Promise<{ publicKey: Uint8Array; secret: Uint8Array }>;
  /** HKDF-SHA-256 (RFC 5869) producing `length` (<= 32) bytes. */
  hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array>;
  /** AES-128-GCM bound to one 16-byte key, for the records of one message. */
  aesGcm(key: Uint8Array): AesGcm;
  /**
   * Optional synchronous versions, for runtimes that have them (node:crypto). When present,
   * `encrypt` runs its aes128gcm path on them without a single await: per message that saves
   * about ten promise round trips, which measurably cost throughput next to the raw floor.
   */
  sync?: SyncPrimitives;
}

/** Synchronous primitives; see {@link Primitives.sync}. */
export interface SyncPrimitives {
  /**
   * Like {@link Primitives.agree}, but `peerPublic` has only had its shape checked (65 bytes,
   * 0x04 prefix): the implementation must throw (with anything) when it is not on the curve,
   * as node's `ECDH.computeSecret` does. Callers then run the portable curve check to tell a
   * bad public key from any other failure, so the BigInt check costs nothing on success.
   */
  agree(
    peerPublic: Uint8Array,
    own?: { publicKey: Uint8Array; privateKey: Uint8Array },
  ): { publicKey: Uint8Array; secret: Uint8Array };
  /** HKDF-Extract with SHA-256 (RFC 5869 §2.2): PRK = HMAC(salt, ikm), 32 bytes. */
  extract(salt: Uint8Array, ikm: Uint8Array): Uint8Array;
  /** HKDF-Expand with SHA-256 (RFC 5869 §2.3) for `length` <= 32: T(1) = HMAC(prk, info || 0x01). */
  expand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /**
   * AES-128-GCM with `key`: writes ciphertext || 16-byte tag of `plaintext` into `out` at
   * `offset` (which has room for it) and returns the number of bytes written.
   */
  seal(
    key: Uint8Array,
    nonce: Uint8Array,
    plaintext: Uint8Array,
    out: Uint8Array,
    offset: number,
  ): number;
}

export interface AesGcm {
  /**
   * Encrypts; the result is ciphertext followed by the 16-byte tag, in a fresh plain
   * `ArrayBuffer` (it becomes a legacy `aesgcm` body, which `fetch` takes as `BodyInit`).
   */
  seal(nonce: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array<ArrayBuffer>>;
  /** Decrypts ciphertext || tag; rejects (with anything) when authentication fails. */
  open(nonce: Uint8Array, sealed: Uint8Array): Promise<Uint8Array>;
}
