/**
 * Errors of `@swp/broadcast`. Every error carries a stable string `code` and the
 * cross-package marker `Symbol.for("swp.error")`, so {@link isSwpError} recognises errors
 * from any copy of any `@swp/*` package.
 *
 * @module
 */

const SWP_ERROR = Symbol.for("swp.error");

/** Every code a {@link BroadcastError} can carry. */
export type BroadcastErrorCode =
  /** No broadcast has this id (never started, or in another database or schema). */
  | "ERR_BROADCAST_NOT_FOUND"
  /** The broadcaster or worker was used after `close()`/`stop()`. */
  | "ERR_BROADCAST_CLOSED"
  /** The job queue (pg-boss) could not be started or refused a job; `cause` says why. */
  | "ERR_BROADCAST_QUEUE"
  /** A broadcast's or batch's tables could not be read or written; `cause` holds the driver's error. */
  | "ERR_BROADCAST_DATABASE";

/**
 * True when `error` is an error from any `@swp/*` package (any copy of it).
 *
 * @example
 * ```ts
 * try { await broadcaster.startBroadcast({ payload: "hi" }) } catch (e) { if (isSwpError(e)) console.log(e.code) }
 * ```
 */
export function isSwpError(error: unknown): error is Error & { code: string } {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as Record<symbol, unknown>)[SWP_ERROR] === true &&
    typeof (error as { code?: unknown }).code === "string"
  );
}

/**
 * Base class of the errors of distributed broadcasts. Store failures (a database that cannot
 * be reached at open) are `StoreError`s of `@swp/store`, as from the PostgreSQL store.
 *
 * @example
 * ```ts
 * try { await broadcaster.getBroadcast(id) } catch (e) {
 *   if (e instanceof BroadcastError && e.code === "ERR_BROADCAST_NOT_FOUND") res.writeHead(404).end()
 * }
 * ```
 */
export class BroadcastError extends Error {
  /** Stable, machine-readable identifier of the failure. */
  readonly code: BroadcastErrorCode;

  constructor(code: BroadcastErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, SWP_ERROR, { value: true });
  }
}
