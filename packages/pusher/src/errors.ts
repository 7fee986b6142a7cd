/**
 * Errors thrown by `@swp/pusher`.
 *
 * The facade throws its own {@link PusherError} for what only the facade can get wrong (no
 * VAPID subject, use after `close()`), and lets the errors of the packages below it through
 * unchanged: `SubscriptionError` (from `@swp/sender`), `SessionIdError` (from `@swp/store`),
 * `VapidError` (from `@swp/vapid`). All of them carry a stable `code` and the marker that
 * {@link isSwpError} checks.
 *
 * @module
 */

const SWP_ERROR = Symbol.for("swp.error");

/**
 * Every code a {@link PusherError} can carry.
 *
 * - `ERR_PUSHER_NO_SUBJECT`: a message was to be sent, but no VAPID `subject` was given
 *   (neither the `subject` option nor the `SWP_SUBJECT` environment variable).
 * - `ERR_PUSHER_CLOSED`: the `Pusher` was used after `close()`.
 * - `ERR_PUSHER_MISSING_PACKAGE`: an optional package the call needs is not installed
 *   (`@swp/store-postgres` for the `postgres` option, `@swp/broadcast` for distributed
 *   broadcasts and workers); the message gives the install command.
 * - `ERR_PUSHER_NO_POSTGRES`: a distributed broadcast or a worker was asked for without the
 *   `postgres` option.
 */
export type PusherErrorCode =
  | "ERR_PUSHER_NO_SUBJECT"
  | "ERR_PUSHER_CLOSED"
  | "ERR_PUSHER_MISSING_PACKAGE"
  | "ERR_PUSHER_NO_POSTGRES";

/**
 * True when `error` comes from any `@swp/*` package, from any installed copy of it (the
 * `Symbol.for("swp.error")` marker, not `instanceof`). One implementation, `@swp/sender`'s.
 */
export { isSwpError } from "@swp/sender";

/**
 * The error class of the facade, told apart by {@link PusherErrorCode | `code`}.
 *
 * @example
 * ```ts
 * try {
 *   await new Pusher().sendNotification(subscription, "hi")
 * } catch (e) {
 *   if (e instanceof PusherError && e.code === "ERR_PUSHER_NO_SUBJECT") console.error(e.message)
 * }
 * ```
 */
export class PusherError extends Error {
  /** Stable, machine-readable identifier of the failure. */
  readonly code: PusherErrorCode;

  constructor(code: PusherErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = "PusherError";
    Object.defineProperty(this, SWP_ERROR, { value: true });
  }
}
