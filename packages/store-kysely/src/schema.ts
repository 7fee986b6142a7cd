import type { ColumnType } from "kysely";

/**
 * A `bigint` column read back as a number. SQLite returns numbers; PostgreSQL drivers
 * return `bigint` as a string, so the store converts with `Number()` on the way out
 * (milliseconds since 1970 stay far below 2^53).
 */
export type BigIntColumn<Nullable extends null = never> = ColumnType<
  number | string | Nullable,
  number | Nullable,
  number | Nullable
>;

/**
 * The `subscriptions` table (migration `0001_create_subscriptions`): one row per session
 * id, the subscription in columns so that the endpoint can carry a unique index.
 *
 * @example
 * ```ts
 * const db = new Kysely<SubscriptionStoreDatabase>({ dialect })
 * const n = await db.selectFrom("subscriptions").select((e) => e.fn.countAll().as("n")).executeTakeFirst()
 * ```
 */
export interface SubscriptionsTable {
  /** Primary key; 1 to 256 characters, `VARCHAR(256)` as in the Python original. */
  session_id: string;
  /** The push resource URL; unique. */
  endpoint: string;
  /** The user agent's P-256 public key, base64url (RFC 8291 section 2). */
  p256dh: string;
  /** The 16-byte authentication secret, base64url (RFC 8291 section 3.2). */
  auth: string;
  /** `expirationTime` of the subscription in ms since the epoch, or null. */
  expiration_time: BigIntColumn<null>;
  /** The subscriber's group; 0 by default. `bigint` so any safe integer fits everywhere. */
  group_id: BigIntColumn;
  /** First `put` of this session id, ms since the epoch. */
  created_at: BigIntColumn;
  /** Last `put` of this session id, ms since the epoch. */
  updated_at: BigIntColumn;
}

/**
 * The Python original's table, read once by migration `0002_import_python_subscriptors`
 * and then kept, renamed, as `subscriptors_python_backup`.
 */
export interface PythonSubscriptorsTable {
  session_id: string;
  /** The subscription's JSON text. */
  subscription: string;
  group_id: number | string;
}

/**
 * The tables of the store, for a typed `Kysely` instance.
 *
 * @example
 * ```ts
 * const db = new Kysely<SubscriptionStoreDatabase>({ dialect: new SqliteDialect({ database }) })
 * const store = await createKyselyStore(db)
 * ```
 */
export interface SubscriptionStoreDatabase {
  subscriptions: SubscriptionsTable;
}
