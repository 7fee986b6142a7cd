// Retry timing. Exponential backoff with "full jitter" (a uniformly random wait between 0
// and base * 2^attempt, capped) spreads retries of many senders so they do not hit a
// recovering push service in lock step. A push service's Retry-After (RFC 9110 section
// 10.2.3; RFC 8030 section 8.4 for 429) wins over our own guess, within a cap.

/** Longest wait we accept from a Retry-After header: 10 minutes. */
export const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

export interface BackoffOptions {
  /** First backoff ceiling in ms. */
  baseMs: number;
  /** Largest backoff ceiling in ms. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/** Wait before retry number `retry` (1 for the first retry) with full jitter. */
export function backoffDelay(
  retry: number,
  random: number,
  o: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const ceiling = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random * ceiling);
}

/**
 * Seconds to wait from a Retry-After value: delay-seconds or an HTTP date. Undefined when
 * absent or malformed; never negative.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP-date has a day name and a time; Date.parse accepts the IMF-fixdate and the
  // obsolete RFC 850 / asctime forms on V8.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** The wait before the next attempt: the service's Retry-After (capped) or our backoff. */
export function retryDelay(
  retry: number,
  retryAfterSeconds: number | undefined,
  random: number,
  o: BackoffOptions = DEFAULT_BACKOFF,
): number {
  if (retryAfterSeconds !== undefined)
    return Math.min(retryAfterSeconds * 1000, MAX_RETRY_AFTER_MS);
  return backoffDelay(retry, random, o);
}
