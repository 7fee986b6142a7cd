import { InvalidOptionError } from "./errors.ts";

/** RFC 8030 section 5.3 urgency levels. */
export type Urgency = "very-low" | "low" | "normal" | "high";

/** Content codings for the message body: RFC 8291 `aes128gcm` (default) or legacy `aesgcm`. */
export type PushEncoding = "aes128gcm" | "aesgcm";

/**
 * Options for one push message. Every field is optional; `createSender` takes them as
 * defaults and `send` / `sendAll` per call (per-call values win, `headers` are merged).
 *
 * @example
 * ```ts
 * await sender.send(subscription, "Your order shipped", {
 *   ttl: 3600, urgency: "high", topic: "order-42", timeout: 10_000, retries: 2,
 * })
 * ```
 */
export interface SendOptions {
  /**
   * Seconds the push service should keep the message while the device is offline
   * (RFC 8030 section 5.2, `TTL` header). Default 2,419,200 (4 weeks); 0 means deliver now
   * or drop.
   */
  ttl?: number;
  /** `Urgency` header (RFC 8030 section 5.3): very-low, low, normal or high. Not sent by default (normal). */
  urgency?: Urgency;
  /**
   * `Topic` header (RFC 8030 section 5.4): a newer message with the same topic replaces an
   * undelivered older one. At most 32 base64url characters, and a length that is a valid
   * base64url encoding (Apple answers 400 BadWebPushTopic otherwise).
   */
  topic?: string;
  /** Content coding: `aes128gcm` (RFC 8291, default) or legacy `aesgcm`. */
  encoding?: PushEncoding;
  /** Bytes of padding added to the plaintext to hide its length. Default 0. */
  padding?: number;
  /**
   * Extra request headers. Headers the protocol sets (TTL, Urgency, Topic, Content-*,
   * Encryption, Crypto-Key, Authorization, X-WNS-Cache-Policy, …) cannot be overridden:
   * use the options instead.
   */
  headers?: Readonly<Record<string, string>>;
  /**
   * Milliseconds the whole message may take, from the call (a `sendAll` item: from when it
   * is read) to its result: every wait counts (a 429 pause, permits, the connection, a
   * stream slot, the answer, the backoff between retries). More than 0, at most
   * 2,147,483,647 (2^31 − 1, the longest Node timer). Default 30,000.
   */
  timeout?: number;
  /**
   * Retries after a failure before any answer, a 429 or a 5xx (exponential backoff with
   * jitter, `Retry-After` honoured up to 10 minutes), within `timeout`. Default 3; 0 disables.
   */
  retries?: number;
  /** Aborts the send: the result is then `{ ok: false, statusCode: 0, reason: "aborted" }`. */
  signal?: AbortSignal;
}

/** Four weeks in seconds, the default TTL (what most push services keep at most). */
export const DEFAULT_TTL = 4 * 7 * 24 * 60 * 60;
export const DEFAULT_TIMEOUT = 30_000;
export const DEFAULT_RETRIES = 3;

/** Options after validation and defaults. */
export interface ResolvedSendOptions {
  ttl: number;
  urgency: Urgency | undefined;
  topic: string | undefined;
  encoding: PushEncoding;
  padding: number;
  headers: Readonly<Record<string, string>>;
  timeout: number;
  retries: number;
  signal: AbortSignal | undefined;
}

const URGENCIES: ReadonlySet<string> = new Set(["very-low", "low", "normal", "high"]);

/** Header names the sender owns, lower case. */
const PROTOCOL_HEADERS: ReadonlySet<string> = new Set([
  "ttl",
  "urgency",
  "topic",
  "content-type",
  "content-encoding",
  "content-length",
  "encryption",
  "crypto-key",
  "authorization",
  "x-wns-cache-policy",
  "host",
  "connection",
  "transfer-encoding",
  "keep-alive",
  "upgrade",
  "te",
]);

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Tabs and visible characters only: a CR or LF would split the header (injection).
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function isNonNegativeInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/**
 * The longest delay a Node timer honours: 2^31 − 1 ms (about 24.8 days). A longer one
 * overflows and fires after 1 ms, so a huge `timeout` would abort every attempt at once.
 */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

/**
 * Validates an option that feeds a timer: a number of milliseconds above 0 and at most
 * {@link MAX_TIMER_DELAY}. Throws {@link InvalidOptionError} naming the option, the value
 * and the limit.
 */
export function checkTimerDelay(option: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidOptionError(
      option,
      `${option} must be a positive number of milliseconds, got ${typeof value === "number" ? String(value) : typeof value}`,
    );
  }
  if (value > MAX_TIMER_DELAY) {
    throw new InvalidOptionError(
      option,
      `${option} is ${value} ms; at most ${MAX_TIMER_DELAY} ms (2^31 - 1, about 24.8 days) fits a timer`,
    );
  }
  return value;
}

/** Validates a topic: 1–32 base64url characters, length ≠ 1 (mod 4). */
export function isValidTopic(topic: string): boolean {
  return /^[A-Za-z0-9_-]{1,32}$/.test(topic) && topic.length % 4 !== 1;
}

/**
 * Merges defaults and per-call options and validates them, throwing
 * {@link InvalidOptionError} for anything a push service would reject or we cannot honour.
 */
export function resolveSendOptions(
  defaults: SendOptions | undefined,
  call: SendOptions | undefined,
): ResolvedSendOptions {
  const o = { ...defaults, ...call };
  const ttl = o.ttl ?? DEFAULT_TTL;
  if (!isNonNegativeInteger(ttl)) {
    throw new InvalidOptionError(
      "ttl",
      `ttl must be a whole number of seconds ≥ 0, got ${String(ttl)}`,
    );
  }
  if (o.urgency !== undefined && !URGENCIES.has(o.urgency)) {
    throw new InvalidOptionError(
      "urgency",
      `urgency must be very-low, low, normal or high, got ${JSON.stringify(o.urgency)}`,
    );
  }
  if (o.topic !== undefined) {
    if (typeof o.topic !== "string" || !isValidTopic(o.topic)) {
      const t = String(o.topic);
      throw new InvalidOptionError(
        "topic",
        `topic must be 1 to 32 base64url characters (A-Z a-z 0-9 - _) of a length that is a valid base64url encoding (not 1, 5, 9, … mod 4), got ${t.length} characters`,
      );
    }
  }
  const encoding = o.encoding ?? "aes128gcm";
  if (encoding !== "aes128gcm" && encoding !== "aesgcm") {
    throw new InvalidOptionError(
      "encoding",
      `encoding must be aes128gcm or aesgcm, got ${JSON.stringify(encoding)}`,
    );
  }
  const padding = o.padding ?? 0;
  if (!isNonNegativeInteger(padding)) {
    throw new InvalidOptionError(
      "padding",
      `padding must be a whole number of bytes ≥ 0, got ${String(padding)}`,
    );
  }
  const timeout = checkTimerDelay("timeout", o.timeout ?? DEFAULT_TIMEOUT);
  const retries = o.retries ?? DEFAULT_RETRIES;
  if (!isNonNegativeInteger(retries)) {
    throw new InvalidOptionError(
      "retries",
      `retries must be a whole number ≥ 0, got ${String(retries)}`,
    );
  }
  const headers = { ...defaults?.headers, ...call?.headers };
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) {
      throw new InvalidOptionError(
        "headers",
        `header name ${JSON.stringify(name)} is not a valid HTTP token`,
      );
    }
    if (PROTOCOL_HEADERS.has(name.toLowerCase())) {
      throw new InvalidOptionError(
        "headers",
        `header ${name} is set by the sender and cannot be overridden; use the matching option (ttl, urgency, topic, encoding) instead`,
      );
    }
    if (typeof value !== "string" || !FIELD_VALUE.test(value)) {
      throw new InvalidOptionError(
        "headers",
        `header ${name} must be a string without control characters`,
      );
    }
  }
  const signals = [defaults?.signal, call?.signal].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  return {
    ttl,
    urgency: o.urgency,
    topic: o.topic,
    encoding,
    padding,
    headers,
    timeout,
    retries,
    signal,
  };
}
