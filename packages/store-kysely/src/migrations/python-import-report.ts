/**
 * A row of the Python original's `subscriptors` table that was not imported. It is still
 * in the backup table (`subscriptors_python_backup`), untouched.
 *
 * @example
 * ```ts
 * await createSqliteStore({ onInvalidRow: (row) => console.warn(row.sessionId, row.reason) })
 * ```
 */
export interface InvalidPythonRow {
  /** The row's `session_id`, as stored. */
  sessionId: string;
  /** The row's `group_id`, as stored. */
  groupId: number | string;
  /**
   * Why it was left out: a `SubscriptionError` or `SessionIdError` code,
   * `"ERR_STORE_GROUP_ID"` for a group id that is not an integer, or
   * `"ERR_STORE_DUPLICATE_ENDPOINT"` when an earlier row (by session id) already holds the
   * endpoint.
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
  /** The name the original table now has (every row is still there). */
  backupTable: string;
}
