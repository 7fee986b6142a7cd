import { assertSessionId } from "@swp/store";
import { parseSubscription } from "@swp/subscription";
import { type Insertable, type Kysely, type Migration, sql } from "kysely";
import type { PythonSubscriptorsTable, SubscriptionsTable } from "../schema.ts";
import type { InvalidPythonRow, PythonImportReport } from "./python-import-report.ts";

/** What the import needs from the store being opened. */
export interface PythonImportContext {
  now: () => number;
  /** @deprecated No effect: `http:` endpoints are imported (transport policy is the sender's). */
  allowHttp: boolean;
  onInvalidRow: ((row: InvalidPythonRow) => void) | undefined;
  /** Receives the report when there was a table to import. */
  report: (report: PythonImportReport) => void;
}

/** The Python table as SQLite may really hold it: a legacy copy can have NULLs anywhere. */
interface PythonTableRow {
  session_id: string | null;
  subscription: PythonSubscriptorsTable["subscription"];
  group_id: PythonSubscriptorsTable["group_id"] | null;
}

interface ImportTables {
  subscriptors: PythonTableRow;
  subscriptions: SubscriptionsTable;
}

const SOURCE = "subscriptors";
const BACKUP = "subscriptors_python_backup";
const PAGE = 1000;

function describeFailure(error: unknown): { code: string; reason: string } {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    code: typeof code === "string" ? code : "ERR_STORE_INVALID_ROW",
    reason: typeof message === "string" ? message : String(error),
  };
}

/**
 * The tables visible without a schema name. PostgreSQL's introspection lists every schema's
 * tables; only those of `current_schema()` (the first of the `search_path`) are ours.
 * SQLite has no schemas (`schema` is undefined).
 */
async function tablesInCurrentSchema(db: Kysely<ImportTables>): Promise<Set<string>> {
  const tables = await db.introspection.getTables();
  let current: string | undefined;
  if (tables.some((table) => table.schema !== undefined)) {
    const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(db);
    current = rows[0]?.name;
  }
  return new Set(
    tables
      .filter((table) => table.schema === undefined || table.schema === current)
      .map((table) => table.name),
  );
}

const PLAIN_DECIMAL = /^-?[0-9]+$/;

/** A stored value, shortened and quoted for a report (group ids are not secrets). */
function show(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * The group id of a Python row, or a reason why it is not one. The original declared
 * `group_id INT`, so SQLite already stored anything that looked like an integer as one
 * (`'7'`, `' 7'`, `'1e3'` and `'1.0'` all become INTEGER in an INT column). What still
 * arrives as text, a fraction, NULL or a number outside the safe range was never a group
 * id the original could have matched with `WHERE group_id=<n>`; guessing one (`Number("")`
 * is 0, `Number("0x10")` is 16) would put a subscriber in a group by accident. Only plain
 * decimal integers (ASCII digits, an optional leading minus) are accepted.
 */
export function pythonGroupId(value: unknown): { groupId: number } | { reason: string } {
  let groupId: number | undefined;
  if (typeof value === "number") groupId = value;
  else if (typeof value === "bigint") groupId = Number(value);
  else if (typeof value === "string" && PLAIN_DECIMAL.test(value)) groupId = Number(value);
  // Safe integers only: every store keeps those exactly (JavaScript numbers, bigint columns).
  if (groupId === undefined || !Number.isSafeInteger(groupId)) {
    return {
      reason: `group_id ${show(value)} is not a plain decimal integer between -(2^53-1) and 2^53-1`,
    };
  }
  // -0 from "-0": keep the one zero.
  return { groupId: groupId === 0 ? 0 : groupId };
}

/** A row as read from the Python table: any column may hold anything in SQLite. */
interface PythonRow {
  session_id: unknown;
  subscription: unknown;
  group_id: unknown;
}

/**
 * Imports the Python original's `subscriptors(session_id, subscription, group_id)` table
 * when the database has one: each row parsed with `parseSubscription`, invalid ones
 * reported (not fatal), and a copy of the whole table made as `subscriptors_python_backup`.
 * The table itself is left in place, as the original created it, so that the original can
 * keep using the file during a migration or after a rollback (`@swp/store-sqlite` keeps
 * both tables in step). Does nothing on a database without that table.
 */
export function importPythonSubscriptors(context: PythonImportContext): Migration {
  return {
    async up(anyDb: Kysely<unknown>): Promise<void> {
      const db = anyDb as unknown as Kysely<ImportTables>;
      const tables = await tablesInCurrentSchema(db);
      if (!tables.has(SOURCE)) return;

      const report: PythonImportReport = { imported: 0, invalid: [], backupTable: BACKUP };
      const reject = (row: PythonRow, failure: { code: string; reason: string }) => {
        const invalid: InvalidPythonRow = {
          sessionId: typeof row.session_id === "string" ? row.session_id : show(row.session_id),
          groupId:
            typeof row.group_id === "number" || typeof row.group_id === "string"
              ? row.group_id
              : show(row.group_id),
          ...failure,
        };
        report.invalid.push(invalid);
        context.onInvalidRow?.(invalid);
      };
      const time = context.now();

      const importRow = async (row: PythonRow): Promise<void> => {
        let values: Insertable<SubscriptionsTable>;
        try {
          assertSessionId(row.session_id);
          const group = pythonGroupId(row.group_id);
          if ("reason" in group) {
            reject(row, { code: "ERR_STORE_GROUP_ID", reason: group.reason });
            return;
          }
          const subscription = parseSubscription(String(row.subscription));
          values = {
            session_id: row.session_id,
            endpoint: subscription.endpoint,
            p256dh: subscription.keys.p256dh,
            auth: subscription.keys.auth,
            expiration_time: subscription.expirationTime ?? null,
            group_id: group.groupId,
            created_at: time,
            updated_at: time,
          };
        } catch (error) {
          reject(row, describeFailure(error));
          return;
        }
        // The original had no unique endpoint; the first row (in session id order)
        // keeps a duplicated one, the others are reported.
        const result = await db
          .insertInto("subscriptions")
          .values(values)
          .onConflict((conflict) => conflict.column("endpoint").doNothing())
          .executeTakeFirst();
        if (result.numInsertedOrUpdatedRows === 0n) {
          const holder = await db
            .selectFrom("subscriptions")
            .select("session_id")
            .where("endpoint", "=", values.endpoint)
            .executeTakeFirst();
          reject(row, {
            code: "ERR_STORE_DUPLICATE_ENDPOINT",
            reason: `the endpoint is already imported under another session id${holder ? ` (${holder.session_id.length} characters)` : ""}`,
          });
        } else {
          report.imported++;
        }
      };

      // Rows without a session id can never be reached by the original (it looks rows up
      // by session id); report them and keep them out of the keyset pages below.
      const orphans = await db
        .selectFrom(SOURCE)
        .select(["session_id", "subscription", "group_id"])
        .where("session_id", "is", null)
        .execute();
      for (const row of orphans) {
        reject(row, { code: "ERR_STORE_SESSION_ID", reason: "session_id is NULL" });
      }

      // The original declared session_id the primary key, but a table created by hand or by
      // an older tool may hold one id twice. The row kept is the one the original itself
      // used: the first that `SELECT ... WHERE session_id=?` returns (it read `fetchone()`).
      const duplicated = new Set(
        (
          await db
            .selectFrom(SOURCE)
            .select("session_id")
            .where("session_id", "is not", null)
            .groupBy("session_id")
            .having((e) => e.fn.countAll(), ">", 1)
            .execute()
        ).map((row) => row.session_id),
      );
      for (const sessionId of duplicated) {
        const copies = await db
          .selectFrom(SOURCE)
          .select(["session_id", "subscription", "group_id"])
          .where("session_id", "=", sessionId)
          .execute();
        const [first, ...others] = copies;
        if (first !== undefined) await importRow(first);
        for (const row of others) {
          reject(row, {
            code: "ERR_STORE_DUPLICATE_SESSION_ID",
            reason: `session id stored ${copies.length} times; the first row is the one imported`,
          });
        }
      }

      // Keyset pages over the old primary key: bounded memory for any table size.
      let after: string | undefined;
      for (;;) {
        let query = db
          .selectFrom(SOURCE)
          .select(["session_id", "subscription", "group_id"])
          .where("session_id", "is not", null);
        if (after !== undefined) query = query.where("session_id", ">", after);
        const rows = await query.orderBy("session_id").limit(PAGE).execute();
        for (const row of rows) {
          if (!duplicated.has(row.session_id)) await importRow(row);
        }
        if (rows.length < PAGE) break;
        after = rows[rows.length - 1]!.session_id as string;
      }

      // A copy, not a rename: the original (still running during a migration, or back
      // after a rollback) finds its table where it left it, while this copy keeps every
      // row exactly as it was at the upgrade, whatever happens to the live table later.
      let backup = BACKUP;
      for (let n = 2; tables.has(backup); n++) backup = `${BACKUP}_${n}`;
      report.backupTable = backup;
      await db.schema.createTable(backup).as(db.selectFrom(SOURCE).selectAll()).execute();
      context.report(report);
    },
  };
}
