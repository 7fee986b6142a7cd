// Public types shared by both entries (the portable one and the node:crypto one).

/**
 * A VAPID key pair (RFC 8292 section 3.2) as bytes: the application server key a browser
 * receives as `applicationServerKey`, and its private scalar.
 *
 * @example
 * ```ts
 * const keys: VapidKeys = await generateVapidKeys()
 * keys.publicKey.length // 65
 * ```
 */
export interface VapidKeys {
  /** Uncompressed P-256 point: 0x04 ‖ x ‖ y, 65 bytes. */
  publicKey: Uint8Array;
  /** Private scalar d, 32 bytes big-endian. Never log it. */
  privateKey: Uint8Array;
}

/** The content encoding a push message is sent with; it decides the VAPID header form. */
export type VapidEncoding = "aes128gcm" | "aesgcm";

/**
 * Options of {@link createVapid}. Copied and frozen when the signer is created.
 *
 * @example
 * ```ts
 * const options: VapidOptions = { keys, subject: "mailto:ops@example.com", expiration: 6 * 3600 }
 * ```
 */
export interface VapidOptions {
  /**
   * The key pair that signs: bytes, or base64url strings as web-push and its
   * `VAPID_PUBLIC_KEY` / `VAPID_PRIVATE_KEY` variables hold them (65-byte uncompressed
   * public point, 32-byte private scalar; each field may be either form). Checked to be a
   * matching P-256 pair: the public key is derived from the private one and compared.
   */
  keys: VapidKeys | VapidBase64UrlKeys;
  /**
   * Contact for the push service (RFC 8292 section 2.1): `mailto:` followed by an e-mail
   * address, or an `https:` URL. Hosts `localhost`, `*.local`, `*.localhost`, bare names
   * without a dot and IP literals (`a@[127.0.0.1]`, `https://[::1]/`, `https://8.8.8.8`) are
   * refused (Apple answers 403 BadJwtToken) unless `allowLocalSubject`. Control and
   * invisible characters (NUL, C1, zero-width, bidi controls) are always refused.
   */
  subject: string;
  /**
   * Lifetime of each token in seconds, counted from when it is signed: more than 0, at most
   * 86 400 (24 h, RFC 8292 section 2). Default 43 200 (12 h).
   */
  expiration?: number;
  /**
   * The clock, in milliseconds since the epoch. Default `Date.now`; inject one in tests.
   * A reading that is not a finite number makes `headers()` reject with a RangeError.
   */
  now?: () => number;
  /** Permit local and IP-literal subject hosts (`localhost`, `*.local`, bare names, `[::1]`) for development. */
  allowLocalSubject?: boolean;
}

/**
 * Signs VAPID tokens and builds the Authorization headers for push requests (RFC 8292
 * section 3). Tokens are cached per audience and re-signed only shortly before they expire.
 *
 * @example
 * ```ts
 * const vapid = createVapid({ keys, subject: "mailto:ops@example.com" })
 * const headers = await vapid.headers(subscription.endpoint) // { Authorization: "vapid t=…, k=…" }
 * ```
 */
export interface Vapid {
  /** The application server key (65 bytes); a copy. */
  readonly publicKey: Uint8Array;
  /** The validated subject. */
  readonly subject: string;
  /**
   * Headers that authorise a push to `endpoint`: for `aes128gcm` (default)
   * `{ Authorization: "vapid t=<jwt>, k=<key>" }` (RFC 8292 section 3); for legacy `aesgcm`
   * `{ Authorization: "WebPush <jwt>", "Crypto-Key": "p256ecdsa=<key>" }`. A new object each
   * call. Rejects with `ERR_VAPID_ENDPOINT` for a relative or non-http(s) endpoint.
   */
  headers(endpoint: string | URL, encoding?: VapidEncoding): Promise<Record<string, string>>;
}

/** The claims of a verified VAPID token (RFC 8292 section 2). */
export interface VapidClaims {
  /** Audience: origin of the push resource. */
  aud: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Contact of the application server, if given. */
  sub?: string;
}

/** What {@link verifyVapid} returns for a valid token. */
export interface VapidVerification {
  /** The token's claims. */
  claims: VapidClaims;
  /** The application server key the token was verified with (65 bytes). */
  publicKey: Uint8Array;
}

/**
 * Options of {@link verifyVapid}.
 *
 * @example
 * ```ts
 * const options: VerifyVapidOptions = { audience: "https://push.example.net" }
 * ```
 */
export interface VerifyVapidOptions {
  /** The expected `aud`: the push service's origin (an endpoint URL is reduced to its origin). */
  audience: string;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. Must return a finite number (RangeError otherwise). */
  now?: () => number;
  /** The `Crypto-Key` header value, needed for the legacy `WebPush <jwt>` scheme. */
  cryptoKey?: string;
  /** Seconds of clock skew to tolerate on both `exp` checks. Default 0. */
  clockTolerance?: number;
}

/** A P-256 key as a JSON Web Key (RFC 7517, RFC 7518 section 6.2). */
export interface VapidJwk {
  kty: "EC";
  crv: "P-256";
  /** base64url of the 32-byte x coordinate. */
  x: string;
  /** base64url of the 32-byte y coordinate. */
  y: string;
  /** base64url of the 32-byte private scalar. */
  d: string;
  [member: string]: unknown;
}

/** Options of {@link vapidKeysToPem}. */
export interface VapidPemOptions {
  /**
   * `"pkcs8"` (default): `-----BEGIN PRIVATE KEY-----`, what Node and WebCrypto export.
   * `"sec1"`: `-----BEGIN EC PRIVATE KEY-----`, what openssl and py_vapid write.
   */
  format?: "pkcs8" | "sec1";
}

/** The base64url form of a key pair, as browsers and most Web Push libraries exchange it. */
export interface VapidBase64UrlKeys {
  /** base64url of the 65-byte public key (what `applicationServerKey` accepts). */
  publicKey: string;
  /** base64url of the 32-byte private scalar. */
  privateKey: string;
}
