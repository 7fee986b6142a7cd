import type { PushService } from "./push-service.ts";

/**
 * The outcome of one push message: exactly one per `send` and per `sendAll` item.
 *
 * - delivered: `ok: true` (201, also 200/202);
 * - gone: `gone: true` for 404 and 410 (RFC 8030 section 7.3): delete the subscription;
 * - rejected: another status, `reason` says why (no retry for 4xx other than 429);
 * - failed: `statusCode: 0` when no HTTP answer came (a failure before any answer after the
 *   retries, the message's timeout, the SSRF guard refused the address, or the send was
 *   aborted); `reason` then starts with `timeout`, `connection-lost`, `stream-reset`,
 *   `refused-stream`, `connect-failed` or `network` and a colon, or is `"aborted"`.
 *
 * @example
 * ```ts
 * const result = await sender.send(subscription, "hi")
 * if (result.gone) await store.removeByEndpoint(result.endpoint)
 * else if (!result.ok) console.warn(result.statusCode, result.reason)
 * ```
 */
export interface PushResult {
  /** True when the push service accepted the message (2xx). */
  ok: boolean;
  /** HTTP status of the last answer; 0 when there was no HTTP answer. */
  statusCode: number;
  /** The subscription endpoint (as given; the raw input when it could not be parsed). */
  endpoint: string;
  /** True for 404/410: the subscription no longer exists. */
  gone: boolean;
  /** Seconds the push service asked to wait (`Retry-After` of the last answer). */
  retryAfter?: number;
  /** HTTP attempts made (0 when nothing was sent). */
  attempts: number;
  /** The push service, from the endpoint's host. */
  service: PushService;
  /**
   * Why it failed: the service's reason for an answer; for no answer, a stable word and a
   * colon (`"timeout: …"`, `"connection-lost: …"`, `"stream-reset: …"`, …), or `"aborted"`.
   */
  reason?: string;
  /** `sendAll` only: the item's `id`, echoed back. */
  id?: unknown;
  /**
   * `sendAll` only: the programmer error (`SubscriptionError`, `PayloadTooLargeError`,
   * `InvalidOptionError`) that `send` would have thrown for this item.
   */
  error?: Error;
}

/** True for 404 and 410: the push service says the subscription is gone (RFC 8030 section 7.3). */
export function isGoneStatus(statusCode: number): boolean {
  return statusCode === 404 || statusCode === 410;
}

/** True for answers worth retrying: 429 (RFC 8030 section 8.4) and 5xx. */
export function isRetryableStatus(statusCode: number): boolean {
  return statusCode === 429 || (statusCode >= 500 && statusCode <= 599);
}

/** True for 2xx (RFC 8030 section 5: 201 Created; some services answer 200 or 202). */
export function isSuccessStatus(statusCode: number): boolean {
  return statusCode >= 200 && statusCode <= 299;
}
