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

// RFC 9110 section 5.6.7: the three HTTP-date forms, exactly as the grammar spells them
// (names are case-sensitive, GMT is literal). Anything looser, such as Date.parse, reads
// "a 1" or "Dec 25" as a date and turns junk into "retry now".
const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const DAY_LONG = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
const TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
/** IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** Obsolete rfc850-date: `Sunday, 06-Nov-94 08:49:37 GMT`. */
const RFC850_DATE = new RegExp(`^${DAY_LONG}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** Obsolete asctime-date: `Sun Nov  6 08:49:37 1994` (day padded with a space). */
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ((?:\\d| )\\d) ${TIME} (\\d{4})$`);
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Milliseconds since the epoch, or undefined for an impossible date (31 Feb, 25:00). */
function utc(year: number, month: string, day: number, h: number, m: number, s: number) {
  const monthIndex = MONTHS.indexOf(month);
  // 60 is a leap second (RFC 9110 allows it); read it as the next second's start.
  if (h > 23 || m > 59 || s > 60 || day < 1) return undefined;
  const at = Date.UTC(year, monthIndex, day, h, m, s);
  const check = new Date(Date.UTC(year, monthIndex, day));
  if (check.getUTCDate() !== day || check.getUTCMonth() !== monthIndex) return undefined;
  // Date.UTC maps years 0-99 to 1900-1999; the four-digit forms mean what they say.
  return year < 100 ? new Date(at).setUTCFullYear(year) : at;
}

/**
 * An HTTP-date (RFC 9110 section 5.6.7) in milliseconds since the epoch, or undefined when
 * `text` is not one of its three forms.
 */
export function parseHttpDate(text: string, nowMs: number): number | undefined {
  let match = IMF_FIXDATE.exec(text);
  if (match) {
    const [, day, month, year, h, m, s] = match as unknown as string[];
    return utc(Number(year), month!, Number(day), Number(h), Number(m), Number(s));
  }
  match = RFC850_DATE.exec(text);
  if (match) {
    const [, day, month, yy, h, m, s] = match as unknown as string[];
    // RFC 9110: a two-digit year more than 50 years in the future means the past century.
    const thisYear = new Date(nowMs).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + Number(yy);
    if (year > thisYear + 50) year -= 100;
    return utc(year, month!, Number(day), Number(h), Number(m), Number(s));
  }
  match = ASCTIME_DATE.exec(text);
  if (match) {
    const [, month, day, h, m, s, year] = match as unknown as string[];
    return utc(Number(year), month!, Number(day!.trim()), Number(h), Number(m), Number(s));
  }
  return undefined;
}

/**
 * Throws a RangeError unless `nowMs`, a reading of an injected clock, is a finite number:
 * a NaN clock would turn every date into "no wait" silently.
 */
export function checkClockReading(nowMs: unknown, what = "clock.now()"): number {
  if (typeof nowMs !== "number" || !Number.isFinite(nowMs)) {
    throw new RangeError(
      `${what} must return a finite number of milliseconds since the epoch, got ${String(nowMs)}`,
    );
  }
  return nowMs;
}

/**
 * Seconds to wait from a Retry-After value (RFC 9110 section 10.2.3): delay-seconds (digits
 * only) or an HTTP-date in one of its three forms. Undefined, meaning "no hint", when absent
 * or anything else (`-1`, `1.5`, `a 1`, `Dec 25`); never negative. Throws a RangeError when
 * `nowMs` is not finite.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  checkClockReading(nowMs);
  if (value === undefined) return undefined;
  // Field values lose leading and trailing whitespace (SP and HTAB) in parsing, nothing else.
  const text = value.replace(/^[ \t]+|[ \t]+$/g, "");
  if (/^[0-9]+$/.test(text)) return Number(text);
  const at = parseHttpDate(text, nowMs);
  if (at === undefined) return undefined;
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
