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
 * True when `error` comes from any `@swp/*` package, from any installed copy of it (the
 * `Symbol.for("swp.error")` marker, not `instanceof`). One implementation, `@swp/sender`'s.
 */
export { isSwpError } from "@swp/sender";

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
