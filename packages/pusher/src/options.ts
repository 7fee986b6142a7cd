import { dirname, join, resolve } from "node:path";
import type { SenderOptions } from "@swp/sender";
import type { SubscriptionStore } from "@swp/store";
import type { VapidBase64UrlKeys, VapidKeys } from "@swp/vapid";
import { type PusherPostgresOptions, resolvePostgres } from "./postgres-options.ts";

/**
 * The options of `@swp/sender`'s `createSender` that the facade passes through unchanged:
 * `allowHosts`, `allowHttp`, `ca`, `concurrency`, `perOriginConcurrency`, `proxy`,
 * `transport`, `workers` and `workerThreshold` (encryption on worker threads for
 * `notifyAll` and `sendNotificationToAll`), and the per-message defaults `ttl`, `urgency`, `topic`, `encoding`, `padding`,
 * `headers`, `timeout`, `retries`. See `@swp/sender` for each one.
 */
export type PusherSenderOptions = Omit<SenderOptions, "vapid">;

/**
 * A row of a Python original's `subscriptors` table that the SQLite store could not import
 * (the `sqlite.onInvalidRow` option). The shape of `@swp/store-sqlite`'s `InvalidPythonRow`,
 * copied so that the facade's types never name an optional package.
 *
 * @example
 * ```ts
 * new Pusher({ sqlite: { onInvalidRow: (row) => console.warn(row.sessionId, row.code, row.reason) } });
 * ```
 */
export interface PusherInvalidPythonRow {
  /** The row's `session_id`, as stored. */
  sessionId: string;
  /** The row's `group_id`, as stored (not always a number: that may be why it was left out). */
  groupId: unknown;
  /** Why it was left out: an error `code` such as `ERR_SUBSCRIPTION_KEYS`. */
  code: string;
  /** A readable explanation (never the subscription's keys). */
  reason: string;
}

/**
 * More options of the default SQLite store (`@swp/store-sqlite`, an optional package loaded
 * on first use). Copied here so that the facade's types never name an optional package.
 *
 * @example
 * ```ts
 * new Pusher({ sqlite: { busyTimeout: 10_000, synchronous: "full" } });
 * ```
 */
export interface PusherSqliteOptions {
  /** How long (ms) a write waits for another process's write before `ERR_STORE_BUSY`. Default 5000. */
  busyTimeout?: number;
  /** SQLite's `synchronous` setting: `"normal"` (default) or `"full"` (survives power loss). */
  synchronous?: "normal" | "full";
  /** Clock for `createdAt`/`updatedAt`, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Called for each row of a Python original's `subscriptors` table that could not be imported. */
  onInvalidRow?: (row: PusherInvalidPythonRow) => void;
}

/**
 * Options of `new Pusher(options)`. Every field is optional: `new Pusher()` keeps its keys in
 * `private_key.pem` / `public_key.pem` and its subscriptions in `subscriptors.db`, in the
 * current directory, like the Python original. Sending needs a VAPID `subject`.
 *
 * The options are copied and frozen when the `Pusher` is constructed; changing the object
 * afterwards has no effect.
 *
 * @example
 * ```ts
 * const pusher = new Pusher({
 *   subject: "mailto:admin@example.com",
 *   dbPath: "data/subscriptors.db",
 *   keyPath: "data/private_key.pem", // public_key.pem goes beside it
 *   ttl: 3600,
 * });
 * ```
 */
export interface PusherOptions extends PusherSenderOptions {
  /**
   * The SQLite file holding the subscriptions (`"subscriptors.db"`). It is opened (and
   * created, or upgraded from the Python original's schema) on first use. Relative paths
   * are resolved against the current directory when the `Pusher` is constructed. Ignored
   * when `store` is given.
   */
  dbPath?: string;
  /**
   * The PEM file holding the VAPID private key (`"private_key.pem"`). Created on first use,
   * with mode 0600, and reused afterwards; PKCS#8 and SEC1 (`EC PRIVATE KEY`, what the
   * Python original wrote) are both read. Ignored when `keys` is given.
   */
  keyPath?: string;
  /**
   * Where the public key is written as an SPKI PEM when the keys are created
   * (`"public_key.pem"` in the directory of `keyPath`).
   */
  publicKeyPath?: string;
  /**
   * The VAPID keys themselves, for keys kept elsewhere than in a file (a secret manager,
   * environment variables): bytes (`{ publicKey: Uint8Array(65), privateKey: Uint8Array(32) }`)
   * or base64url strings, the form `web-push` prints and takes
   * (`{ publicKey: process.env.VAPID_PUBLIC_KEY, privateKey: process.env.VAPID_PRIVATE_KEY }`).
   * Strings are decoded and checked (the public key must be the private key's) by the first
   * call that needs the keys, which rejects with `VapidError` `ERR_VAPID_KEY_INVALID` if
   * they are not a P-256 pair. When given, no key file is read or written.
   */
  keys?: VapidKeys | VapidBase64UrlKeys;
  /**
   * The VAPID `sub` claim (RFC 8292 section 2.1): a `mailto:` address or an `https:` URL at
   * which the push service can reach you, e.g. `"mailto:admin@example.com"`. Defaults to
   * the `SWP_SUBJECT` environment variable, else `VAPID_SUBJECT` (the name `web-push` users
   * often have). There is no built-in default: a made-up contact
   * would be a lie to the push services, and Apple refuses `localhost` ones. Without a
   * subject, the first send fails with `ERR_PUSHER_NO_SUBJECT`; keys and subscriptions work
   * without one.
   */
  subject?: string;
  /**
   * Accept a `subject` on a local or IP-literal host (`mailto:me@localhost`), which push
   * services refuse (Apple answers 403 BadJwtToken): for development against a local push
   * service only. Default false.
   */
  allowLocalSubject?: boolean;
  /**
   * Lifetime in seconds of the VAPID tokens (`exp`; RFC 8292 section 2): 12 hours by
   * default, at most 24 hours.
   */
  expiration?: number;
  /**
   * More options of the default SQLite store (`busyTimeout`, `synchronous`, `onInvalidRow`
   * for rows of a Python original's table that cannot be imported, `now`); see
   * `@swp/store-sqlite`. Ignored when `store` is given.
   */
  sqlite?: PusherSqliteOptions;
  /**
   * Keep the subscriptions in PostgreSQL instead of SQLite (needs the optional package
   * `@swp/store-postgres`), and enable distributed broadcasts (`notifyAll(data, {
   * distributed: true })`, `runWorker()`; need `@swp/broadcast`). A connection string, or
   * `{ connectionString, schema?, bossSchema?, queue?, max? }`. With `store` also given, the
   * store is `store` and this only locates the broadcast queue.
   */
  postgres?: string | PusherPostgresOptions;
  /**
   * Any object implementing the `SubscriptionStore` contract of `@swp/store` (your own
   * database), used instead of the SQLite file. A `Pusher` given a store never loads
   * `@swp/store-sqlite` (which need not be installed). The `Pusher` does not close a store it
   * was given: you own it.
   */
  store?: SubscriptionStore;
  /**
   * Print one line per push-service answer (status, endpoint origin, reason) through `log`
   * (`false`). Can be changed later with `setVerbose`. Keys, auth secrets and endpoint paths
   * are never printed.
   */
  verbose?: boolean;
  /** Where verbose lines go (one call per line, no newline): standard error by default. */
  log?: (line: string) => void;
}

/** The options a `Pusher` runs with, copied and frozen at construction. */
export interface ResolvedPusherOptions {
  readonly dbPath: string;
  readonly keyPath: string;
  readonly publicKeyPath: string;
  readonly keys: Readonly<VapidKeys> | Readonly<VapidBase64UrlKeys> | undefined;
  readonly subject: string | undefined;
  readonly allowLocalSubject: boolean;
  readonly expiration: number | undefined;
  readonly store: SubscriptionStore | undefined;
  readonly postgres: Readonly<PusherPostgresOptions> | undefined;
  readonly sqlite: Readonly<PusherSqliteOptions>;
  readonly verbose: boolean;
  readonly log: (line: string) => void;
  readonly sender: Readonly<PusherSenderOptions>;
}

const STORE_METHODS = [
  "put",
  "remove",
  "removeByEndpoint",
  "get",
  "findSessionId",
  "list",
  "count",
  "close",
] as const;

function kindOf(value: unknown): string {
  if (value instanceof Uint8Array) return "Uint8Array";
  if (value === "") return "empty string";
  return value === null ? "null" : typeof value;
}

function writeToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

function path(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`options.${name} must be a non-empty string (a file path)`);
  }
  return value;
}

/** A deep-enough copy: arrays and plain objects one level down are copied and frozen. */
function freezeCopy<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze([...value]) as T;
  if (
    value !== null &&
    typeof value === "object" &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.freeze({ ...value });
  }
  return value;
}

/**
 * Checks, copies and freezes `options`, filling in the defaults. `env` supplies
 * `SWP_SUBJECT` (or `VAPID_SUBJECT`). One-line `TypeError`s name the offending option.
 */
export function resolveOptions(
  options: PusherOptions = {},
  env: Record<string, string | undefined> = process.env,
): ResolvedPusherOptions {
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `options must be an object; got ${options === null ? "null" : typeof options}`,
    );
  }
  const {
    dbPath,
    keyPath,
    publicKeyPath,
    keys,
    subject,
    allowLocalSubject,
    expiration,
    store,
    postgres,
    sqlite,
    verbose,
    log,
    ...sender
  } = options;

  const db = path("dbPath", dbPath, "subscriptors.db");
  const key = resolve(path("keyPath", keyPath, "private_key.pem"));
  const publicKey = resolve(
    path("publicKeyPath", publicKeyPath, join(dirname(key), "public_key.pem")),
  );

  const chosenSubject = subject ?? (env.SWP_SUBJECT || env.VAPID_SUBJECT || undefined);
  if (chosenSubject !== undefined && typeof chosenSubject !== "string") {
    throw new TypeError(`options.subject must be a string such as "mailto:you@example.com"`);
  }
  if (allowLocalSubject !== undefined && typeof allowLocalSubject !== "boolean") {
    throw new TypeError(
      `options.allowLocalSubject must be a boolean; got ${typeof allowLocalSubject}`,
    );
  }
  if (verbose !== undefined && typeof verbose !== "boolean") {
    throw new TypeError(`options.verbose must be a boolean; got ${typeof verbose}`);
  }
  if (sqlite !== undefined && (sqlite === null || typeof sqlite !== "object")) {
    throw new TypeError("options.sqlite must be an object of @swp/store-sqlite options");
  }
  if (log !== undefined && typeof log !== "function") {
    throw new TypeError(`options.log must be a function; got ${typeof log}`);
  }
  if (store !== undefined) {
    const missing = STORE_METHODS.filter(
      (m) => typeof (store as unknown as Record<string, unknown>)?.[m] !== "function",
    );
    if (missing.length > 0) {
      throw new TypeError(
        `options.store must implement the SubscriptionStore contract of @swp/store; missing: ${missing.join(", ")}`,
      );
    }
  }
  let keyCopy: Readonly<VapidKeys> | Readonly<VapidBase64UrlKeys> | undefined;
  if (keys !== undefined) {
    const { publicKey, privateKey } = (keys ?? {}) as { publicKey?: unknown; privateKey?: unknown };
    if (publicKey instanceof Uint8Array && privateKey instanceof Uint8Array) {
      keyCopy = Object.freeze({ publicKey: publicKey.slice(), privateKey: privateKey.slice() });
    } else if (
      typeof publicKey === "string" &&
      publicKey !== "" &&
      typeof privateKey === "string" &&
      privateKey !== ""
    ) {
      keyCopy = Object.freeze({ publicKey, privateKey });
    } else {
      // Says which half is wrong and its kind, never its value (a private key is a secret).
      throw new TypeError(
        "options.keys must be { publicKey, privateKey }, both Uint8Array or both base64url strings; " +
          `got publicKey: ${kindOf(publicKey)}, privateKey: ${kindOf(privateKey)}`,
      );
    }
  }

  const senderCopy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(sender)) {
    if (value !== undefined) senderCopy[name] = freezeCopy(value);
  }

  return Object.freeze({
    // ":memory:" is a SQLite name, not a file: keep it as it is.
    dbPath: db === ":memory:" ? db : resolve(db),
    keyPath: key,
    publicKeyPath: publicKey,
    keys: keyCopy,
    subject: chosenSubject,
    allowLocalSubject: allowLocalSubject === true,
    expiration,
    store,
    postgres: resolvePostgres(postgres),
    sqlite: Object.freeze({ ...sqlite }),
    verbose: verbose ?? false,
    log: log ?? writeToStderr,
    sender: Object.freeze(senderCopy) as Readonly<PusherSenderOptions>,
  });
}
