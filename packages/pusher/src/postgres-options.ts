// The `postgres` option on its own, so that the options and the distributed mode can both
// read it without importing each other.

/**
 * The `postgres` option of `new Pusher()`: where the subscriptions (and the broadcast
 * queue) live. A connection string is the short form of `{ connectionString }`.
 *
 * @example
 * ```ts
 * new Pusher({ postgres: { connectionString: process.env.DATABASE_URL, schema: "push" } })
 * ```
 */
export interface PusherPostgresOptions {
  /** `postgres://user:password@host:5432/database`. */
  connectionString: string;
  /** Schema of the subscription and broadcast tables (created if missing). Default: the role's `search_path`. */
  schema?: string;
  /** Schema of pg-boss's tables. Default `"pgboss"`. */
  bossSchema?: string;
  /** The pg-boss queue of broadcast batches. Default `"swp-broadcast"`. */
  queue?: string;
  /** Connections of each pool the pusher opens. Default 10 (the store), 4 (a broadcast). */
  max?: number;
}

/** A connection string or the object form, checked and copied. */
export function resolvePostgres(value: unknown): Readonly<PusherPostgresOptions> | undefined {
  if (value === undefined) return undefined;
  const o = typeof value === "string" ? { connectionString: value } : value;
  const connectionString = (o as { connectionString?: unknown } | null)?.connectionString;
  if (typeof connectionString !== "string" || connectionString === "") {
    throw new TypeError(
      "options.postgres must be a postgres:// connection string or { connectionString, schema?, bossSchema?, queue? }",
    );
  }
  return Object.freeze({ ...(o as PusherPostgresOptions) });
}
