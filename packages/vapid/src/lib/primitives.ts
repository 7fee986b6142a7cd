// The crypto operations an entry supplies. Everything else (JWT, claims, caching, key
// formats) is shared, so the portable (WebCrypto) and Node (node:crypto) entries cannot drift.

import type { VapidKeys } from "../types.ts";

/** Signs bytes with ES256 and returns the raw r ‖ s signature (64 bytes, RFC 7518 §3.4). */
export type Sign = (data: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** ECDSA P-256 / SHA-256 primitives of one runtime. Inputs are already validated. */
export interface Primitives {
  /** A fresh key pair. */
  generateKeys(): Promise<VapidKeys>;
  /** The public key of a valid private scalar. */
  derivePublicKey(privateKey: Uint8Array): Promise<Uint8Array>;
  /** Imports a key pair once and returns a signing function bound to it. */
  createSigner(keys: VapidKeys): Promise<Sign>;
  /** True when `signature` (raw r ‖ s) is valid for `data` under `publicKey`. */
  verify(publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}
