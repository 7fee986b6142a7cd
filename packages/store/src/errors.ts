/**
 * Errors thrown by `@swp/store` and by the stores built on its contract.
 *
 * {@link StoreError} extends the shared `SwpError` of `@swp/subscription`, so every error
 * carries a stable string `code` and the marker `isSwpError` recognises in any copy of any
 * `@swp/*` package (duplicate installs, bundles).
 *
 * @module
 */

import { SwpError } from "@swp/subscription";

/** Every code a {@link StoreError} can carry. */
export type StoreErrorCode =
  /** A session id that is not a string of 1 to 256 characters. */
  | "ERR_STORE_SESSION_ID"
  /** The database file or its directory cannot be opened or created. */
  | "ERR_STORE_OPEN"
  /** The file exists but is not a database (or is damaged beyond reading). */
  | "ERR_STORE_NOT_A_DATABASE"
  /** The database or its directory cannot be written. */
  | "ERR_STORE_READ_ONLY"
  /** Another writer held the database longer than the busy timeout. */
  | "ERR_STORE_BUSY"
  /** A schema migration failed; the database was left as it was before it. */
  | "ERR_STORE_MIGRATION"
  /** Any other failure of the backing database; `cause` holds the driver's error. */
  | "ERR_STORE_QUERY"
  /** The store was used after `close()`. */
  | "ERR_STORE_CLOSED";

/**
 * True when `error` comes from any `@swp/*` package, from any installed copy of it (the
 * `Symbol.for("swp.error")` marker, not `instanceof`). One implementation, `@swp/subscription`'s.
 */
export { isSwpError } from "@swp/subscription";

/**
 * Base class of every error a subscription store throws on its own account (an invalid
 * subscription is `@swp/subscription`'s `SubscriptionError` instead). `path` names the database
 * file when the failure is about one.
 *
 * @example
 * ```ts
 * try { await createSqliteStore({ path: "/read-only/subscriptors.db" }) } catch (e) {
 *   if (e instanceof StoreError && e.code === "ERR_STORE_READ_ONLY") console.error(e.path)
 * }
 * ```
 */
export class StoreError extends SwpError<StoreErrorCode> {
  /** The database file concerned, when there is one. */
  readonly path: string | undefined;

  constructor(
    code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown; path?: string | undefined },
  ) {
    super(code, message, options);
    this.path = options?.path;
  }
}

/**
 * A session id that cannot be stored: not a string, empty, or longer than 256 characters
 * (the `VARCHAR(256)` of the Python original's `subscriptors` table). The message gives
 * the kind and length, never the value (a session id is often a cookie).
 *
 * @example
 * ```ts
 * try { await store.put("", subscription) } catch (e) {
 *   if (e instanceof SessionIdError) res.writeHead(400).end(e.message)
 * }
 * ```
 */
export class SessionIdError extends StoreError {
  declare readonly code: "ERR_STORE_SESSION_ID";

  constructor(message: string) {
    super("ERR_STORE_SESSION_ID", message);
  }
}
