import { isSwpError, StoreError, type StoreErrorCode } from "@swp/store";

/** The driver's own code of an error, looking through `cause` (migrations wrap). */
function driverCode(error: unknown, accept: (code: string) => boolean): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && accept(code)) return code;
  }
  return undefined;
}

type Meaning = [prefix: string, code: StoreErrorCode, what: string];

/** better-sqlite3's result codes (`SQLITE_BUSY`, `SQLITE_READONLY_DBMOVED`, …) by prefix. */
const SQLITE: Meaning[] = [
  [
    "SQLITE_BUSY",
    "ERR_STORE_BUSY",
    "the database stayed locked by another writer past the busy timeout",
  ],
  ["SQLITE_LOCKED", "ERR_STORE_BUSY", "the database is locked"],
  ["SQLITE_READONLY", "ERR_STORE_READ_ONLY", "the database or its directory is read-only"],
  ["SQLITE_NOTADB", "ERR_STORE_NOT_A_DATABASE", "the file is not an SQLite database"],
  ["SQLITE_CORRUPT", "ERR_STORE_NOT_A_DATABASE", "the database file is damaged"],
  ["SQLITE_CANTOPEN", "ERR_STORE_OPEN", "the database file cannot be opened or created"],
  ["SQLITE_PERM", "ERR_STORE_READ_ONLY", "access to the database file is denied"],
];

/**
 * PostgreSQL SQLSTATE codes (as `pg` reports them in `code`) and the socket errors of a
 * server that cannot be reached, by prefix. Classes from the PostgreSQL manual, appendix A.
 */
const POSTGRES: Meaning[] = [
  ["ECONNREFUSED", "ERR_STORE_OPEN", "the database server refused the connection"],
  ["ENOTFOUND", "ERR_STORE_OPEN", "the database server's host name does not resolve"],
  ["ETIMEDOUT", "ERR_STORE_OPEN", "the connection to the database server timed out"],
  ["08", "ERR_STORE_OPEN", "the connection to the database failed"],
  ["28", "ERR_STORE_OPEN", "the database refused the credentials"],
  ["3D000", "ERR_STORE_OPEN", "the database does not exist"],
  ["53300", "ERR_STORE_BUSY", "the database server has no connection slot left"],
  ["55P03", "ERR_STORE_BUSY", "a lock the query needs is held by another session"],
  [
    "40",
    "ERR_STORE_BUSY",
    "the transaction was rolled back by a conflict (deadlock, serialization)",
  ],
  [
    "25006",
    "ERR_STORE_READ_ONLY",
    "the database is read-only (a standby, or a read-only transaction)",
  ],
  ["42501", "ERR_STORE_READ_ONLY", "the database role lacks a privilege the store needs"],
  ["57P", "ERR_STORE_OPEN", "the database server is shutting down or unreachable"],
];

const isSqliteCode = (code: string) => code.startsWith("SQLITE_");
/** SQLSTATE is five digits or upper-case letters; socket errors start with E. */
const isPostgresCode = (code: string) => /^([0-9A-Z]{5}|E[A-Z]+)$/.test(code);

/**
 * Turns a database driver's error into a {@link StoreError} that names the database
 * (`path`: a file, or a host and database) and keeps the driver's error as `cause`. Knows
 * SQLite's result codes (better-sqlite3) and PostgreSQL's SQLSTATE classes (`pg`); errors of
 * `@swp/*` packages pass through unless a more precise driver reason is found beneath them.
 * Exported for the dialect packages built on this one.
 *
 * @example
 * ```ts
 * try { await db.selectFrom("subscriptions").selectAll().execute() }
 * catch (error) { throw toStoreError(error, "db.example.net/app") }
 * ```
 */
export function toStoreError(
  error: unknown,
  path: string | undefined,
  fallback: StoreErrorCode = "ERR_STORE_QUERY",
): Error {
  const where = path === undefined ? "" : ` (${path})`;
  const driverMessage = (error as { message?: unknown })?.message;
  const detail = typeof driverMessage === "string" ? `: ${driverMessage}` : "";
  const sqlite = driverCode(error, isSqliteCode);
  const postgres = sqlite === undefined ? driverCode(error, isPostgresCode) : undefined;
  const code = sqlite ?? postgres;
  if (code !== undefined) {
    const meaning = (sqlite !== undefined ? SQLITE : POSTGRES).find(([prefix]) =>
      code.startsWith(prefix),
    );
    if (meaning !== undefined) {
      return new StoreError(meaning[1], `${meaning[2]}${where}${detail}`, { cause: error, path });
    }
  }
  if (isSwpError(error)) return error;
  const what =
    fallback === "ERR_STORE_OPEN"
      ? "cannot open the subscription database"
      : "subscription store query failed";
  return new StoreError(fallback, `${what}${where}${detail}`, { cause: error, path });
}
