import { parseSubscription } from "@swp/sender";
import { assertSessionId } from "@swp/store";
import { type Insertable, type Kysely, type Migration, sql } from "kysely";
import type { PythonSubscriptorsTable, SubscriptionsTable } from "../schema.ts";
import type { InvalidPythonRow, PythonImportReport } from "./python-import-report.ts";

/** What the import needs from the store being opened. */
export interface PythonImportContext {
  now: () => number;
  allowHttp: boolean;
  onInvalidRow: ((row: InvalidPythonRow) => void) | undefined;
  /** Receives the report when there was a table to import. */
  report: (report: PythonImportReport) => void;
}

interface ImportTables {
  subscriptors: PythonSubscriptorsTable;
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

/**
 * Imports the Python original's `subscriptors(session_id, subscription, group_id)` table
 * when the database has one: each row parsed with `parseSubscription`, invalid ones
 * reported (not fatal), then the table renamed to `subscriptors_python_backup` so that
 * nothing is lost. Does nothing on a database without that table.
 */
export function importPythonSubscriptors(context: PythonImportContext): Migration {
  return {
    async up(anyDb: Kysely<unknown>): Promise<void> {
      const db = anyDb as Kysely<ImportTables>;
      const tables = await tablesInCurrentSchema(db);
      if (!tables.has(SOURCE)) return;

      const report: PythonImportReport = { imported: 0, invalid: [], backupTable: BACKUP };
      const reject = (
        row: { session_id: string; group_id: number | string },
        failure: { code: string; reason: string },
      ) => {
        const invalid: InvalidPythonRow = {
          sessionId: row.session_id,
          groupId: row.group_id,
          ...failure,
        };
        report.invalid.push(invalid);
        context.onInvalidRow?.(invalid);
      };
      const time = context.now();

      // Keyset pages over the old primary key: bounded memory for any table size.
      let after: string | undefined;
      for (;;) {
        let query = db.selectFrom(SOURCE).select(["session_id", "subscription", "group_id"]);
        if (after !== undefined) query = query.where("session_id", ">", after);
        const rows = await query.orderBy("session_id").limit(PAGE).execute();
        for (const row of rows) {
          let values: Insertable<SubscriptionsTable>;
          try {
            assertSessionId(row.session_id);
            const groupId = Number(row.group_id);
            if (!Number.isSafeInteger(groupId)) {
              reject(row, {
                code: "ERR_STORE_GROUP_ID",
                reason: `group_id ${String(row.group_id)} is not an integer`,
              });
              continue;
            }
            const subscription = parseSubscription(String(row.subscription), {
              allowHttp: context.allowHttp,
            });
            values = {
              session_id: row.session_id,
              endpoint: subscription.endpoint,
              p256dh: subscription.keys.p256dh,
              auth: subscription.keys.auth,
              expiration_time: subscription.expirationTime ?? null,
              group_id: groupId,
              created_at: time,
              updated_at: time,
            };
          } catch (error) {
            reject(row, describeFailure(error));
            continue;
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
        }
        if (rows.length < PAGE) break;
        after = rows[rows.length - 1]!.session_id;
      }

      let backup = BACKUP;
      for (let n = 2; tables.has(backup); n++) backup = `${BACKUP}_${n}`;
      report.backupTable = backup;
      await db.schema.alterTable(SOURCE).renameTo(backup).execute();
      context.report(report);
    },
  };
}
