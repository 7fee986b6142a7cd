import type { PushResult } from "@swp/sender";

/**
 * What a call that sends several messages resolves with (`sendNotificationToAll`,
 * `notifyAll`, `wait`): how many were delivered, how many subscriptions were gone, how many
 * failed, and the results themselves.
 *
 * Every message is counted in exactly one of `sent`, `gone` and `failed`, so
 * `sent + gone + failed === total`.
 *
 * @example
 * ```ts
 * const { sent, gone, failed } = await pusher.notifyAll("Hello");
 * console.log(`${sent} delivered, ${gone} gone and removed, ${failed} failed`);
 * ```
 */
export interface PushSummary {
  /** Number of messages with a result (`sent + gone + failed`). */
  total: number;
  /** Messages the push service accepted (HTTP 200, 201 or 202; RFC 8030 section 5). */
  sent: number;
  /**
   * Messages whose subscription no longer exists (HTTP 404 or 410; RFC 8030 section 7.3).
   * Such subscriptions are removed from the store as their answer arrives.
   */
  gone: number;
  /** Messages that were refused or could not be delivered after the retries. */
  failed: number;
  /**
   * One `PushResult` per message, in the order the answers arrived. Empty when the call was
   * made with `collectResults: false`, which keeps memory flat for very large sends.
   */
  results: PushResult[];
  /**
   * Failures that are not push-service answers, so that nothing is lost silently: a store
   * that failed to remove a gone subscription, an `onResult` or `onProgress` callback that
   * threw, and in {@link Pusher.wait}'s summary, a nonblocking call that failed (an unknown
   * session id, a store failure, …). Each is an `Error`: the error itself (the errors of the
   * `@swp/*` packages keep their `code`, so `isSwpError(e) && e.code === …` works), or, for a
   * thrown value that is not an `Error`, a plain `Error` describing it, with the value as its
   * `cause`.
   */
  errors: Error[];
}

/** `error` itself when it is an `Error`; otherwise an `Error` saying what was thrown, with it as `cause`. */
export function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  let what: string;
  try {
    what = typeof error === "string" ? `"${error.slice(0, 200)}"` : String(error).slice(0, 200);
  } catch {
    what = typeof error; // an object without a usable toString
  }
  return new Error(`a value that is not an Error was thrown: ${what}`, { cause: error });
}

/** Keeps the counts of a {@link PushSummary} while results arrive. */
export class Tally {
  readonly #collect: boolean;
  readonly summary: PushSummary = {
    total: 0,
    sent: 0,
    gone: 0,
    failed: 0,
    results: [],
    errors: [],
  };

  constructor(collectResults = true) {
    this.#collect = collectResults;
  }

  /** Counts `result`, and keeps it unless results are not collected (`keep` overrides). */
  addResult(result: PushResult, keep = this.#collect): void {
    const s = this.summary;
    s.total++;
    if (result.ok) s.sent++;
    else if (result.gone) s.gone++;
    else s.failed++;
    if (keep) s.results.push(result);
  }

  /** Adds another summary's counts, results (unless not collected) and errors. */
  addSummary(other: PushSummary, keep = this.#collect): void {
    const s = this.summary;
    s.total += other.total;
    s.sent += other.sent;
    s.gone += other.gone;
    s.failed += other.failed;
    if (keep) for (const result of other.results) s.results.push(result);
    s.errors.push(...other.errors);
  }

  /** Records a failure that is not a push-service answer. */
  addError(error: unknown): void {
    this.summary.errors.push(asError(error));
  }
}
