import { base64urlDecode, base64urlEncode, isP256Point } from "@swp/ece";
import { SubscriptionError } from "./errors.ts";

/**
 * A browser's push subscription, as `PushSubscription.toJSON()` produces it
 * (W3C Push API; RFC 8291 section 2 for the keys).
 *
 * @example
 * ```ts
 * const subscription: PushSubscription = {
 *   endpoint: "https://fcm.googleapis.com/fcm/send/abc…",
 *   keys: { p256dh: "BNcR…", auth: "tBHI…" },
 * }
 * ```
 */
export interface PushSubscription {
  /** Absolute `https:` URL of the push resource (RFC 8030 section 5). */
  endpoint: string;
  keys: {
    /** The user agent's P-256 public key, 65 bytes uncompressed, base64url. */
    p256dh: string;
    /** The 16-byte authentication secret, base64url. */
    auth: string;
  };
  /** When the subscription expires (ms since the epoch), or null/absent when unknown. */
  expirationTime?: number | null;
}

/** Options of {@link parseSubscription}. */
export interface ParseSubscriptionOptions {
  /** Accept `http:` endpoints too (tests, on-premise services). Default false. */
  allowHttp?: boolean;
}

/** Largest accepted JSON text; a real subscription is a few hundred bytes. */
export const MAX_SUBSCRIPTION_SIZE = 8192;
/** Largest accepted endpoint URL, in characters. */
const MAX_ENDPOINT_LENGTH = 4096;
/** Generous bounds on the key strings before decoding them (65 bytes ≈ 87 characters). */
const MAX_P256DH_LENGTH = 128;
const MAX_AUTH_LENGTH = 64;

function fail(
  code: ConstructorParameters<typeof SubscriptionError>[0],
  message: string,
  field?: string,
  cause?: unknown,
): never {
  throw new SubscriptionError(code, message, {
    ...(field !== undefined ? { field } : {}),
    ...(cause !== undefined ? { cause } : {}),
  });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? `a string of ${value.length} characters` : typeof value;
}

function parseEndpoint(value: unknown, allowHttp: boolean): { endpoint: string; url: URL } {
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
  const schemeOk = url.protocol === "https:" || (allowHttp && url.protocol === "http:");
  if (!schemeOk) {
    fail(
      "ERR_SUBSCRIPTION_INVALID_ENDPOINT",
      `subscription endpoint must be an https: URL, got ${url.protocol}${allowHttp ? " (http: is allowed too)" : ""}`,
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
  return { endpoint: value, url };
}

const STANDARD_ALPHABET = /[+/]/;

/** Decodes base64url, or the standard alphabet; undefined when malformed. */
function decodeKeyText(text: string): Uint8Array | undefined {
  // Browsers hand out base64url, but subscriptions stored by older libraries sometimes use
  // the standard alphabet (RFC 4648 section 4); both stand for the same bytes.
  const url = STANDARD_ALPHABET.test(text) ? text.replace(/\+/g, "-").replace(/\//g, "_") : text;
  try {
    return base64urlDecode(url);
  } catch {
    return undefined;
  }
}

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
  const bytes = decodeKeyText(value);
  if (bytes === undefined) {
    fail(code, `subscription ${field} is not base64url`, field);
  }
  return bytes;
}

/**
 * Validates a push subscription and returns it in canonical form (keys re-encoded as
 * base64url without padding; unknown fields dropped). Accepts what
 * `PushSubscription.toJSON()` produces, as an object or as its JSON text.
 *
 * Checks (each failure is a {@link SubscriptionError} whose message names the field):
 * JSON syntax and size; `endpoint` present, an absolute `https:` URL (`http:` with
 * `allowHttp`); `keys.p256dh` a 65-byte uncompressed point on P-256 (RFC 8291 section 2);
 * `keys.auth` exactly 16 bytes (RFC 8291 section 3.2); `expirationTime` a number or null.
 *
 * @example
 * ```ts
 * import { parseSubscription, SubscriptionError } from "@swp/sender"
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
  options: ParseSubscriptionOptions = {},
): PushSubscription {
  const parts = parseParts(input, options.allowHttp === true, true);
  const result: PushSubscription = {
    endpoint: parts.endpoint,
    keys: { p256dh: base64urlEncode(parts.uaPublic), auth: base64urlEncode(parts.authSecret) },
  };
  if (parts.expirationTime !== undefined) result.expirationTime = parts.expirationTime;
  return result;
}

/**
 * A subscription checked for sending: the endpoint (as given and parsed) and the decoded
 * keys, so nothing is decoded or parsed twice per message.
 */
export interface PushTarget {
  endpoint: string;
  url: URL;
  /** 65 bytes starting with 0x04; that it lies on the curve is checked by the encryption. */
  uaPublic: Uint8Array;
  authSecret: Uint8Array;
}

/**
 * Checks a subscription as {@link parseSubscription} does, except whether `p256dh` lies on
 * the curve: the encryption (`@swp/ece`) checks that anyway, and the sender turns its
 * refusal into the same `SubscriptionError`, so the point is checked once per message.
 */
export function parsePushTarget(input: string | object, allowHttp: boolean): PushTarget {
  const { endpoint, url, uaPublic, authSecret } = parseParts(input, allowHttp, false);
  return { endpoint, url, uaPublic, authSecret };
}

/** The message of the SubscriptionError for a p256dh that is not a P-256 point. */
export function invalidP256dhMessage(length: number): string {
  return `subscription keys.p256dh must be a 65-byte uncompressed P-256 point, got ${length} bytes${length === 65 ? " not on the curve" : ""}`;
}

function parseParts(
  input: string | object,
  allowHttp: boolean,
  checkCurve: boolean,
): PushTarget & { expirationTime: number | null | undefined } {
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
  const { endpoint, url } = parseEndpoint(record.endpoint, allowHttp);

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
  const p256dh = parseKey(keys as Record<string, unknown>, "p256dh", MAX_P256DH_LENGTH);
  const pointShaped = p256dh.length === 65 && p256dh[0] === 0x04;
  if (!pointShaped || (checkCurve && !isP256Point(p256dh))) {
    fail("ERR_SUBSCRIPTION_INVALID_P256DH", invalidP256dhMessage(p256dh.length), "keys.p256dh");
  }
  const auth = parseKey(keys as Record<string, unknown>, "auth", MAX_AUTH_LENGTH);
  if (auth.length !== 16) {
    fail(
      "ERR_SUBSCRIPTION_INVALID_AUTH",
      `subscription keys.auth must be 16 bytes, got ${auth.length} bytes`,
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
    endpoint,
    url,
    uaPublic: p256dh,
    authSecret: auth,
    expirationTime: expirationTime as number | null | undefined,
  };
}
