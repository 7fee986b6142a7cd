/**
 * Errors thrown by `@swp/pusher`.
 *
 * The facade throws its own {@link PusherError} for what only the facade can get wrong (no
 * VAPID subject, use after `close()`), and lets the errors of the packages below it through
 * unchanged: `SubscriptionError` (from `@swp/subscription`), `SessionIdError` (from
 * `@swp/store`), `VapidError` (from `@swp/vapid`). All of them extend the shared `SwpError`,
 * with a stable `code` and the marker that {@link isSwpError} checks.
 *
 * @module
 */

import { SwpError } from "@swp/subscription";

/**
 * Every code a {@link PusherError} can carry.
 *
 * - `ERR_PUSHER_NO_SUBJECT`: a message was to be sent, but no VAPID `subject` was given
 *   (neither the `subject` option nor the `SWP_SUBJECT` or `VAPID_SUBJECT` environment
 *   variable).
 * - `ERR_PUSHER_CLOSED`: the `Pusher` was used after `close()`.
 * - `ERR_PUSHER_MISSING_PACKAGE`: an optional package the call needs is not installed
 *   (`@swp/store-sqlite` for the default store, `@swp/store-postgres` for the `postgres`
 *   option, `@swp/broadcast` for distributed broadcasts and workers); the message gives the
 *   install command.
 * - `ERR_PUSHER_NO_POSTGRES`: a distributed broadcast or a worker was asked for without the
 *   `postgres` option.
 * - `ERR_PUSHER_DISTRIBUTED_STORE`: a distributed broadcast was asked of a `Pusher` given its
 *   own `store`: the workers read the PostgreSQL tables, which may hold other subscriptions.
 * - `ERR_PUSHER_UNKNOWN_SESSION`: `notify` was given a well-formed session id with no stored
 *   subscription (a malformed one is `SessionIdError` `ERR_STORE_SESSION_ID`). The message
 *   names the id.
 */
export type PusherErrorCode =
  | "ERR_PUSHER_NO_SUBJECT"
  | "ERR_PUSHER_CLOSED"
  | "ERR_PUSHER_MISSING_PACKAGE"
  | "ERR_PUSHER_NO_POSTGRES"
  | "ERR_PUSHER_DISTRIBUTED_STORE"
  | "ERR_PUSHER_UNKNOWN_SESSION";

/**
 * True when `error` comes from any `@swp/*` package, from any installed copy of it (the
 * `Symbol.for("swp.error")` marker, not `instanceof`). One implementation,
 * `@swp/subscription`'s.
 */
export { isSwpError } from "@swp/subscription";

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
export class PusherError extends SwpError<PusherErrorCode> {}
