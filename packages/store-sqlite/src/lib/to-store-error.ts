import { isSwpError, StoreError, type StoreErrorCode } from "@swp/store";

/** The SQLite result code of a driver error, looking through `cause` (migrations wrap). */
function sqliteCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_")) return code;
  }
  return undefined;
}

const MEANING: Array<[prefix: string, code: StoreErrorCode, what: string]> = [
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
 * Turns a driver's error into a {@link StoreError} that names the database path and
 * keeps the driver's error as `cause`. Errors of `@swp/*` packages pass through unless
 * a more precise SQLite reason is found beneath them.
 */
export function toStoreError(
  error: unknown,
  path: string | undefined,
  fallback: StoreErrorCode = "ERR_STORE_QUERY",
): Error {
  const sqlite = sqliteCode(error);
  const where = path === undefined ? "" : ` (${path})`;
  const driverMessage = (error as { message?: unknown })?.message;
  const detail = typeof driverMessage === "string" ? `: ${driverMessage}` : "";
  if (sqlite !== undefined) {
    const meaning = MEANING.find(([prefix]) => sqlite.startsWith(prefix));
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
