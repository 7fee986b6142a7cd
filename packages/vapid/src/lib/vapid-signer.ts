// createVapid: signs one token per audience and reuses it (RFC 8292 section 2 allows reuse
// until `exp`; Apple asks senders not to re-sign more than about once an hour). The hot
// path of `headers()` is one Map lookup, two clock comparisons and one small object.

import { base64urlEncode } from "@swp/subscription";
import { VapidError } from "../errors.ts";
import type { Vapid, VapidEncoding, VapidOptions } from "../types.ts";
import { audienceOf, originKeyOf } from "./audience.ts";
import { clockReading } from "./clock.ts";
import { MAX_EXPIRATION, signJwt } from "./jwt.ts";
import { checkKeys, keyBytesOf } from "./key-checks.ts";
import type { Primitives, Sign } from "./primitives.ts";
import { checkSubject } from "./subject.ts";

/** Default token lifetime: 12 hours. */
const DEFAULT_EXPIRATION = 12 * 60 * 60;
/** Re-sign this long before `exp` at most (covers clock skew and slow retries). */
const MAX_REFRESH_MARGIN = 60 * 60;
/**
 * Bound on cached audiences. Real senders talk to a handful of push services; the bound
 * only stops a stream of odd endpoints from growing memory without limit.
 */
const MAX_CACHED = 1024;

/** One signed token and both header forms built from it. */
interface CachedToken {
  readonly audience: string;
  /** `vapid t=<jwt>, k=<key>` (RFC 8292 section 3). */
  readonly vapid: string;
  /** `WebPush <jwt>` (legacy aesgcm scheme, with `Crypto-Key: p256ecdsa=`). */
  readonly webPush: string;
  /** ms: from here on, sign a new token. */
  readonly refreshAt: number;
  /** ms: before this, `exp` would be more than 24 h ahead (the clock went backwards). */
  readonly notBefore: number;
}

function checkExpiration(expiration: unknown): number {
  if (expiration === undefined) return DEFAULT_EXPIRATION;
  if (
    typeof expiration !== "number" ||
    !Number.isInteger(expiration) ||
    expiration <= 0 ||
    expiration > MAX_EXPIRATION
  ) {
    throw new VapidError(
      "ERR_VAPID_EXPIRATION",
      `expiration must be a whole number of seconds in 1..${MAX_EXPIRATION} (24 h), got ${String(expiration)}`,
    );
  }
  return expiration;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  // Insertion order is age order: drop the oldest entry when full.
  if (map.size >= MAX_CACHED && !map.has(key)) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

class VapidSigner implements Vapid {
  readonly subject: string;
  readonly #publicKey: Uint8Array;
  readonly #expiration: number;
  readonly #margin: number;
  readonly #now: () => number;
  readonly #cryptoKey: string;
  readonly #key: string;
  /** Resolves to the signing function once the pair is checked and imported. */
  readonly #signer: Promise<Sign>;
  /** Cache key (origin prefix of an endpoint string, or an origin) → token. */
  readonly #byKey = new Map<string, CachedToken>();
  /** Audience → token, so differently spelled endpoints of one origin share a token. */
  readonly #byAudience = new Map<string, CachedToken>();
  /** Audience → signing in progress, so concurrent misses sign once. */
  readonly #pending = new Map<string, Promise<CachedToken>>();

  constructor(primitives: Primitives, options: VapidOptions) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError("createVapid needs { keys, subject }");
    }
    // Bytes or base64url strings; copied, so later changes by the caller do not leak in.
    const keys = keyBytesOf(options.keys);
    this.subject = checkSubject(options.subject, options.allowLocalSubject === true);
    this.#expiration = checkExpiration(options.expiration);
    this.#margin = Math.min(MAX_REFRESH_MARGIN, Math.floor(this.#expiration / 2));
    if (options.now !== undefined && typeof options.now !== "function") {
      throw new TypeError(
        `now must be a function returning milliseconds, got ${typeof options.now}`,
      );
    }
    this.#now = options.now ?? Date.now;
    this.#publicKey = keys.publicKey;
    this.#key = base64urlEncode(keys.publicKey);
    this.#cryptoKey = `p256ecdsa=${this.#key}`;
    // The pair match needs crypto, which is asynchronous on WebCrypto: check it once, lazily,
    // and let every headers() call report a mismatch.
    this.#signer = checkKeys(primitives, keys).then((checked) => primitives.createSigner(checked));
    // Keep an early failure from surfacing as an unhandled rejection before first use.
    this.#signer.catch(() => {});
  }

  get publicKey(): Uint8Array {
    return this.#publicKey.slice();
  }

  headers(
    endpoint: string | URL,
    encoding: VapidEncoding = "aes128gcm",
  ): Promise<Record<string, string>> {
    if (encoding !== "aes128gcm" && encoding !== "aesgcm") {
      return Promise.reject(
        new TypeError(`encoding must be "aes128gcm" or "aesgcm", got ${String(encoding)}`),
      );
    }
    const key = typeof endpoint === "string" ? originKeyOf(endpoint) : endpoint?.origin;
    if (key !== undefined) {
      const cached = this.#byKey.get(key);
      if (cached !== undefined) {
        const now = this.#now();
        if (now < cached.refreshAt && now >= cached.notBefore) {
          return Promise.resolve(this.#format(cached, encoding));
        }
      }
    }
    return this.#slowHeaders(endpoint, key, encoding);
  }

  async #slowHeaders(
    endpoint: string | URL,
    key: string | undefined,
    encoding: VapidEncoding,
  ): Promise<Record<string, string>> {
    const audience = audienceOf(endpoint);
    // Every non-finite reading fails both cache comparisons in headers(), so it lands here.
    const now = clockReading(this.#now(), "createVapid");
    let token = this.#byAudience.get(audience);
    if (token === undefined || now >= token.refreshAt || now < token.notBefore) {
      let pending = this.#pending.get(audience);
      if (pending === undefined) {
        pending = this.#sign(audience, now).finally(() => this.#pending.delete(audience));
        this.#pending.set(audience, pending);
      }
      token = await pending;
      remember(this.#byAudience, audience, token);
    }
    if (key !== undefined) remember(this.#byKey, key, token);
    return this.#format(token, encoding);
  }

  async #sign(audience: string, now: number): Promise<CachedToken> {
    const sign = await this.#signer;
    const exp = Math.floor(now / 1000) + this.#expiration;
    const jwt = await signJwt(sign, { aud: audience, exp, sub: this.subject });
    return {
      audience,
      vapid: `vapid t=${jwt}, k=${this.#key}`,
      webPush: `WebPush ${jwt}`,
      refreshAt: (exp - this.#margin) * 1000,
      notBefore: (exp - MAX_EXPIRATION) * 1000,
    };
  }

  #format(token: CachedToken, encoding: VapidEncoding): Record<string, string> {
    return encoding === "aes128gcm"
      ? { Authorization: token.vapid }
      : { Authorization: token.webPush, "Crypto-Key": this.#cryptoKey };
  }
}

/** Validates the options synchronously and returns the caching signer. */
export function createVapidWith(primitives: Primitives, options: VapidOptions): Vapid {
  return new VapidSigner(primitives, options);
}
