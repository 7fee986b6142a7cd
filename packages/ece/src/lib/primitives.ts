/**
 * The few cryptographic operations the RFC logic needs. Each entry implements this once:
 * `web-crypto-primitives.ts` (WebCrypto, every runtime) and `node-crypto-primitives.ts`
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
}

export interface AesGcm {
  /** Encrypts; the result is ciphertext followed by the 16-byte tag. */
  seal(nonce: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** Decrypts ciphertext || tag; rejects (with anything) when authentication fails. */
  open(nonce: Uint8Array, sealed: Uint8Array): Promise<Uint8Array>;
}
