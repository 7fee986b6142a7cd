/**
 * A row of the Python original's `subscriptors` table that was not imported. It is still
 * in that table, untouched, and in its copy `subscriptors_python_backup`.
 *
 * @example
 * ```ts
 * await createSqliteStore({ onInvalidRow: (row) => console.warn(row.sessionId, row.reason) })
 * ```
 */
export interface InvalidPythonRow {
  /** The row's `session_id`, as stored; `"NULL"` for none. */
  sessionId: string;
  /** The row's `group_id`, as stored (a number or text; `"NULL"` for none). */
  groupId: number | string;
  /**
   * Why it was left out: a `SubscriptionError` or `SessionIdError` code (a session id that
   * is NULL, empty or over 256 characters), `"ERR_STORE_GROUP_ID"` for a group id that is
   * not a plain decimal integer (NULL, `""`, `"0x10"`, `"1e3"`, `" 7"`, `"1.0"`, a fraction,
   * beyond ±(2^53−1)), `"ERR_STORE_DUPLICATE_SESSION_ID"` for a second or later row of one
   * session id (the first is imported), or `"ERR_STORE_DUPLICATE_ENDPOINT"` when an earlier
   * row (by session id) already holds the endpoint.
   */
  code: string;
  /** A readable explanation (never the subscription's keys). */
  reason: string;
}

/**
 * What the upgrade of a Python original's database did: `store.migrationReport` after
 * `createSqliteStore` opened one.
 *
 * @example
 * ```ts
 * const store = await createSqliteStore({ path: "subscriptors.db" })
 * const report = store.migrationReport
 * if (report) console.log(`${report.imported} imported, ${report.invalid.length} left in ${report.backupTable}`)
 * ```
 */
export interface PythonImportReport {
  /** Rows copied into `subscriptions`. */
  imported: number;
  /** Rows left out, with the reason for each. */
  invalid: InvalidPythonRow[];
  /**
   * The copy of the original's table made at the upgrade, every row as it was then. The
   * original's `subscriptors` table itself stays in place for the original to keep using.
   */
  backupTable: string;
}
