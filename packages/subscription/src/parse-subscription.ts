import { base64Decode, base64urlDecode, base64urlEncode } from "./base64url.ts";
import { isP256Point } from "./p256.ts";
import type { CanonicalSubscription, PushTarget } from "./push-subscription.ts";
import {
  invalidP256dhError,
  SubscriptionError,
  type SubscriptionErrorCode,
} from "./subscription-error.ts";

/**
 * Options of {@link parseSubscription}.
 *
 * @example
 * ```ts
 * parseSubscription(body, {}) // there is nothing to set any more
 * ```
 */
export interface ParseSubscriptionOptions {
  /**
   * @deprecated No effect: `parseSubscription` accepts `http:` endpoints syntactically. Whether
   * one may be used is transport policy, checked by the sender at send time (its `allowHttp`).
   */
  allowHttp?: boolean;
}

/** Largest accepted JSON text, in characters; a real subscription is a few hundred bytes. */
export const MAX_SUBSCRIPTION_SIZE = 8192;
/** Largest accepted endpoint URL, in characters. */
const MAX_ENDPOINT_LENGTH = 4096;
/** Generous bounds on the key strings before decoding them (65 bytes ≈ 87 characters). */
const MAX_P256DH_LENGTH = 128;
const MAX_AUTH_LENGTH = 64;

// Canonical values this copy of the package made, with their decoded parts: the sender asks
// for them once per message, so nothing is parsed or decoded twice. A WeakMap (not a field on
// the value) keeps the value a plain JSON-shaped object, and lets garbage collection drop both.
const targets = new WeakMap<object, PushTarget>();

function fail(
  code: SubscriptionErrorCode,
  message: string,
  field?: string,
  cause?: unknown,
): never {
  throw new SubscriptionError(code, message, { field, cause });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? `a string of ${value.length} characters` : typeof value;
}

function parseEndpoint(value: unknown): URL {
  if (value === undefined || value === null || value === "") {
    fail("ERR_SUBSCRIPTION_MISSING_FIELD", "subscription has no endpoint", "endpoint");
  }
  if (typeof value !== "string") {
    fail(
      "ERR_SUBSCRIPTION_INVALID_ENDPOINT",
      `subscription endpoint must be a string, got ${describe(value)}`,
      "endpoint",
    );
  }
  if (value.length > MAX_ENDPOINT_LENGTH) {
    fail(
      "ERR_SUBSCRIPTION_TOO_LARGE",
      `subscription endpoint is ${value.length} characters; at most ${MAX_ENDPOINT_LENGTH} are accepted`,
      "endpoint",
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    fail(
      "ERR_SUBSCRIPTION_INVALID_ENDPOINT",
      "subscription endpoint is not an absolute URL",
      "endpoint",
      cause,
    );
  }
  // Only the syntax is judged here: http: passes, so that stores can keep subscriptions of
  // test and on-premise push services. Whether http: may be used is the sender's policy.
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    fail(
      "ERR_SUBSCRIPTION_INVALID_ENDPOINT",
      `subscription endpoint must be an https: (or http:) URL, got ${url.protocol}`,
      "endpoint",
    );
  }
  if (url.hostname === "") {
    fail("ERR_SUBSCRIPTION_INVALID_ENDPOINT", "subscription endpoint has no host", "endpoint");
  }
  // Credentials in a push URL are never legitimate and would end up in logs.
  if (url.username !== "" || url.password !== "") {
    fail(
      "ERR_SUBSCRIPTION_INVALID_ENDPOINT",
      "subscription endpoint must not contain user name or password",
      "endpoint",
    );
  }
  return url;
}

const STANDARD_ALPHABET = /[+/]/;

function parseKey(
  keys: Record<string, unknown>,
  name: "p256dh" | "auth",
  maxLength: number,
): Uint8Array {
  const field = `keys.${name}`;
  const value = keys[name];
  const code =
    name === "p256dh" ? "ERR_SUBSCRIPTION_INVALID_P256DH" : "ERR_SUBSCRIPTION_INVALID_AUTH";
  if (value === undefined || value === null || value === "") {
    fail("ERR_SUBSCRIPTION_MISSING_FIELD", `subscription has no ${field}`, field);
  }
  if (typeof value !== "string") {
    fail(code, `subscription ${field} must be a base64url string, got ${describe(value)}`, field);
  }
  if (value.length > maxLength) {
    fail(code, `subscription ${field} is ${value.length} characters, too long for a key`, field);
  }
  try {
    // Browsers hand out base64url, but subscriptions stored by older libraries sometimes use
    // the standard alphabet (RFC 4648 section 4); both stand for the same bytes.
    return STANDARD_ALPHABET.test(value) ? base64Decode(value) : base64urlDecode(value);
  } catch (cause) {
    fail(code, `subscription ${field} is not base64url`, field, cause);
  }
}

interface Parts extends PushTarget {
  readonly expirationTime: number | null | undefined;
}

function parseParts(input: unknown, checkCurve: boolean): Parts {
  let value: unknown = input;
  if (typeof input === "string") {
    if (input.length > MAX_SUBSCRIPTION_SIZE) {
      fail(
        "ERR_SUBSCRIPTION_TOO_LARGE",
        `subscription JSON is ${input.length} characters; at most ${MAX_SUBSCRIPTION_SIZE} are accepted`,
      );
    }
    try {
      value = JSON.parse(input);
    } catch (cause) {
      fail("ERR_SUBSCRIPTION_NOT_JSON", "subscription is not valid JSON", undefined, cause);
    }
  }
  // A live browser PushSubscription exposes its keys only through toJSON(); honour it the
  // way JSON.stringify would.
  if (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === "function"
  ) {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(
      "ERR_SUBSCRIPTION_INVALID",
      `subscription must be an object with endpoint and keys, got ${describe(value)}`,
    );
  }
  const record = value as Record<string, unknown>;
  const url = parseEndpoint(record.endpoint);

  const keys = record.keys;
  if (keys === undefined || keys === null) {
    fail("ERR_SUBSCRIPTION_MISSING_FIELD", "subscription has no keys", "keys");
  }
  if (typeof keys !== "object" || Array.isArray(keys)) {
    fail(
      "ERR_SUBSCRIPTION_INVALID",
      `subscription keys must be an object with p256dh and auth, got ${describe(keys)}`,
      "keys",
    );
  }
  const uaPublic = parseKey(keys as Record<string, unknown>, "p256dh", MAX_P256DH_LENGTH);
  const pointShaped = uaPublic.length === 65 && uaPublic[0] === 0x04;
  if (!pointShaped || (checkCurve && !isP256Point(uaPublic))) {
    throw invalidP256dhError(uaPublic.length);
  }
  const authSecret = parseKey(keys as Record<string, unknown>, "auth", MAX_AUTH_LENGTH);
  if (authSecret.length !== 16) {
    fail(
      "ERR_SUBSCRIPTION_INVALID_AUTH",
      `subscription keys.auth must be 16 bytes, got ${authSecret.length} bytes`,
      "keys.auth",
    );
  }

  const expirationTime = record.expirationTime;
  if (
    expirationTime !== undefined &&
    expirationTime !== null &&
    (typeof expirationTime !== "number" || !Number.isFinite(expirationTime))
  ) {
    fail(
      "ERR_SUBSCRIPTION_INVALID",
      `subscription expirationTime must be a number or null, got ${describe(expirationTime)}`,
      "expirationTime",
    );
  }
  return {
    endpoint: url.href,
    url,
    uaPublic,
    authSecret,
    expirationTime: expirationTime as number | null | undefined,
  };
}

/**
 * Checks a push subscription and returns it in canonical form ({@link CanonicalSubscription}:
 * frozen, endpoint as `new URL(endpoint).href`, keys as unpadded base64url, unknown fields
 * dropped). Accepts what `PushSubscription.toJSON()` produces, as an object, as its JSON text,
 * or a live `PushSubscription`; a value this function returned comes back as it is.
 *
 * Checks (each failure is a {@link SubscriptionError} whose `field` and message name the
 * field): JSON syntax and size; `endpoint` present and an absolute `https:` or `http:` URL
 * with a host and no credentials; `keys.p256dh` a 65-byte uncompressed point on P-256
 * (RFC 8291 section 3.1); `keys.auth` exactly 16 bytes (RFC 8291 section 3.2);
 * `expirationTime` a number or null.
 *
 * Transport policy is not applied: `http:` endpoints are accepted, and no address is judged.
 * A sender decides at send time whether it may connect (`allowHttp`, the SSRF guard,
 * `allowHosts`), so a store can keep what a sender configured differently may use.
 *
 * @example
 * ```ts
 * import { parseSubscription, SubscriptionError } from "@swp/subscription"
 * try {
 *   const subscription = parseSubscription(requestBodyText)
 *   await store.put(sessionId, subscription)
 * } catch (e) {
 *   if (e instanceof SubscriptionError) respond(400, `${e.code}: ${e.message}`)
 *   else throw e
 * }
 * ```
 */
export function parseSubscription(
  input: string | object,
  _options?: ParseSubscriptionOptions,
): CanonicalSubscription {
  if (typeof input === "object" && input !== null && targets.has(input)) {
    return input as CanonicalSubscription;
  }
  const parts = parseParts(input, true);
  const keys = Object.freeze({
    p256dh: base64urlEncode(parts.uaPublic),
    auth: base64urlEncode(parts.authSecret),
  });
  const result: { endpoint: string; keys: typeof keys; expirationTime?: number | null } = {
    endpoint: parts.endpoint,
    keys,
  };
  if (parts.expirationTime !== undefined) result.expirationTime = parts.expirationTime;
  Object.freeze(result);
  targets.set(result, {
    endpoint: parts.endpoint,
    url: parts.url,
    uaPublic: parts.uaPublic,
    authSecret: parts.authSecret,
  });
  return result as CanonicalSubscription;
}

/**
 * True when `value` is a canonical subscription made by this copy of the package (so
 * {@link toPushTarget} returns its parts without parsing).
 *
 * @example
 * ```ts
 * isCanonicalSubscription(parseSubscription(body)) // true
 * isCanonicalSubscription(JSON.parse(text))        // false: parse it first
 * ```
 */
export function isCanonicalSubscription(value: unknown): value is CanonicalSubscription {
  return typeof value === "object" && value !== null && targets.has(value);
}

/**
 * The endpoint and key bytes of a subscription, for sending one message. A
 * {@link CanonicalSubscription} gives the parts {@link parseSubscription} decoded, with no
 * parsing and no decoding. Anything else is checked as `parseSubscription` checks it, except
 * whether `p256dh` lies on the curve: the encryption checks that anyway, so a sender reports
 * its refusal with {@link invalidP256dhError} and the point is checked once per message.
 *
 * No transport policy is applied here (see {@link parseSubscription}).
 *
 * @throws {SubscriptionError} as `parseSubscription` does.
 * @example
 * ```ts
 * const { url, uaPublic, authSecret } = toPushTarget(subscription)
 * if (url.protocol !== "https:") throw new Error("https only")
 * ```
 */
export function toPushTarget(input: string | object): PushTarget {
  if (typeof input === "object" && input !== null) {
    const known = targets.get(input);
    if (known !== undefined) return known;
  }
  const { endpoint, url, uaPublic, authSecret } = parseParts(input, false);
  return { endpoint, url, uaPublic, authSecret };
}
