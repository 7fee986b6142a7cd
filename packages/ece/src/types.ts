/**
 * The two Web Push content encodings. `aes128gcm` is RFC 8188 + RFC 8291 and the default;
 * `aesgcm` is the legacy draft-ietf-webpush-encryption-04 scheme some older services and
 * libraries still send.
 */
export type ContentEncoding = "aes128gcm" | "aesgcm";

/** A P-256 key pair as raw bytes. */
export interface P256KeyPair {
  /** 65-byte uncompressed point (`0x04 || X || Y`). */
  publicKey: Uint8Array;
  /** 32-byte big-endian private scalar. */
  privateKey: Uint8Array;
}

/** Options of `encrypt` (RFC 8291 §3–4). */
export interface EncryptOptions {
  /** The subscription's `p256dh` key: a 65-byte uncompressed P-256 point. */
  uaPublic: Uint8Array;
  /** The subscription's `auth` secret: 16 bytes. */
  authSecret: Uint8Array;
  /** Content encoding; `"aes128gcm"` unless the push service needs the legacy `"aesgcm"`. */
  encoding?: ContentEncoding;
  /**
   * Zero bytes added after the plaintext so the body length hides the message length.
   * Counts against the 4096-byte body limit. Default 0.
   */
  padding?: number;
  /** FOR TEST VECTORS ONLY: a fixed 16-byte salt. Reusing a salt breaks confidentiality. */
  salt?: Uint8Array;
  /**
   * FOR TEST VECTORS ONLY: a fixed sender key pair instead of a fresh one per message.
   * Reusing it with a fixed salt breaks confidentiality.
   */
  asKeyPair?: P256KeyPair;
}

/** What `encrypt` returns: the body and everything the HTTP request needs to carry it. */
export interface EncryptResult {
  /**
   * The request body (for `aes128gcm` it starts with the RFC 8188 header). Backed by a plain
   * `ArrayBuffer`, so it is a `BodyInit` for `fetch` under TypeScript 5.9's DOM types.
   */
  body: Uint8Array<ArrayBuffer>;
  encoding: ContentEncoding;
  /** The 16-byte salt used (for `aesgcm` it travels in the `Encryption` header). */
  salt: Uint8Array;
  /** The sender's ephemeral public key (for `aesgcm` it travels in `Crypto-Key: dh=`). */
  asPublic: Uint8Array;
  /**
   * HTTP headers the encoding needs: `Content-Encoding`, and for `aesgcm` also
   * `Encryption: salt=…` and `Crypto-Key: dh=…` (merge a VAPID `p256ecdsa=` into the latter
   * with `;`).
   */
  headers: Record<string, string>;
}

/** Options of `decrypt`: the receiver's (browser's) side of RFC 8291. */
export interface DecryptOptions {
  /** The receiver's 32-byte private scalar. */
  uaPrivate: Uint8Array;
  /** The receiver's 65-byte public key (part of the key derivation). */
  uaPublic: Uint8Array;
  /** The receiver's 16-byte auth secret. */
  authSecret: Uint8Array;
  /** Default `"aes128gcm"`. */
  encoding?: ContentEncoding;
  /**
   * `aesgcm` only: the salt from the `Encryption` header (records are read with the default
   * `rs` of 4096, which is what push senders use). Ignored for `aes128gcm`.
   */
  salt?: Uint8Array;
  /** `aesgcm` only: the sender key from `Crypto-Key: dh=`. Ignored for `aes128gcm`. */
  asPublic?: Uint8Array;
}

/** Options of `encryptContent` (RFC 8188 §2). */
export interface EncryptContentOptions {
  /** The input keying material (IKM), 16 bytes. */
  key: Uint8Array;
  /** 16-byte salt; random when omitted. */
  salt?: Uint8Array;
  /** Record size `rs` in octets including the 16-byte tag, 18 .. 2^32 - 1. Default 4096. */
  recordSize?: number;
  /** Key id written into the header, 0..255 bytes. Default empty. */
  keyId?: Uint8Array;
  /** Total zero padding, spread over the earliest records. Default 0. */
  padding?: number;
}

/** Options of `decryptContent` (RFC 8188 §2). */
export interface DecryptContentOptions {
  /** The input keying material (IKM), 16 bytes. The header's key id is not consulted. */
  key: Uint8Array;
}

/** What a browser holds for one push subscription (RFC 8291 §2–3). */
export interface SubscriptionKeys {
  /** 65-byte uncompressed P-256 public key (the subscription's `p256dh`). */
  uaPublic: Uint8Array;
  /** 32-byte private scalar. Keep it secret. */
  uaPrivate: Uint8Array;
  /** 16 random bytes (the subscription's `auth`). Keep it secret. */
  authSecret: Uint8Array;
}
