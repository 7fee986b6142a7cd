/**
 * Errors of `@swp/broadcast`. {@link BroadcastError} extends the shared `SwpError` of
 * `@swp/subscription`, so every error carries a stable string `code` and the marker
 * `isSwpError` recognises in any copy of any `@swp/*` package.
 *
 * @module
 */

import { SwpError } from "@swp/subscription";

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
 * `Symbol.for("swp.error")` marker, not `instanceof`). One implementation,
 * `@swp/subscription`'s.
 */
export { isSwpError } from "@swp/subscription";

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
export class BroadcastError extends SwpError<BroadcastErrorCode> {}
