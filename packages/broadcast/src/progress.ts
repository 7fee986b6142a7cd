import { type Kysely, sql } from "kysely";
import { BroadcastError } from "./errors.ts";
import type { BroadcastDatabase } from "./schema.ts";

/**
 * Where a broadcast stands, from its tables. `sent + gone + failed` counts the subscriptions
 * of the batches recorded so far; each batch is counted once, however many times it ran.
 *
 * @example
 * ```ts
 * const p = await broadcaster.getBroadcast(id)
 * console.log(`${p.batchesDone}/${p.batches} batches, ${p.sent} sent, ${p.gone} gone, ${p.failed} failed`)
 * ```
 */
export interface BroadcastProgress {
  id: string;
  /** Batches (jobs) of the broadcast. */
  batches: number;
  /** Batches recorded by a worker. */
  batchesDone: number;
  /** Batches given up after their retries (their subscriptions are in `failed`). */
  batchesFailed: number;
  /** Subscriptions in the audience when it was cut (the count may move while it runs). */
  expected: number;
  /** Delivered (HTTP 201/200/202; RFC 8030 section 5). */
  sent: number;
  /** Gone (HTTP 404/410; RFC 8030 section 7.3), and removed from the store. */
  gone: number;
  /** Refused or undeliverable after the retries, or in a batch given up. */
  failed: number;
  /** Runs of batches started, retries included: more than `batches` after a crash. */
  attempts: number;
  /** Every batch is recorded or given up: these are the final counts. */
  done: boolean;
}

/**
 * The final counts of a broadcast: `total === sent + gone + failed`.
 *
 * @example
 * ```ts
 * const { total, sent, gone, failed } = await broadcaster.waitForBroadcast(id)
 * ```
 */
export interface BroadcastSummary {
  id: string;
  total: number;
  sent: number;
  gone: number;
  failed: number;
}

/** The summary of a finished broadcast's progress. */
export function summaryOf(progress: BroadcastProgress): BroadcastSummary {
  const { id, sent, gone, failed } = progress;
  return { id, total: sent + gone + failed, sent, gone, failed };
}

/** Reads a broadcast's progress: one aggregate over its batches (primary-key range). */
export async function readProgress(
  db: Kysely<BroadcastDatabase>,
  id: string,
): Promise<BroadcastProgress> {
  const row = await db
    .selectFrom("swp_broadcast_batches")
    .where("broadcast_id", "=", id)
    .select([
      sql<string>`count(*)`.as("batches"),
      sql<string>`count(*) filter (where state = 'done')`.as("batches_done"),
      sql<string>`count(*) filter (where state = 'failed')`.as("batches_failed"),
      sql<string>`coalesce(sum(expected), 0)`.as("expected"),
      sql<string>`coalesce(sum(sent), 0)`.as("sent"),
      sql<string>`coalesce(sum(gone), 0)`.as("gone"),
      sql<string>`coalesce(sum(failed), 0)`.as("failed"),
      sql<string>`coalesce(sum(attempts), 0)`.as("attempts"),
    ])
    .executeTakeFirstOrThrow();
  const batches = Number(row.batches);
  if (batches === 0) {
    throw new BroadcastError("ERR_BROADCAST_NOT_FOUND", `no broadcast has the id ${id}`);
  }
  const batchesDone = Number(row.batches_done);
  const batchesFailed = Number(row.batches_failed);
  return {
    id,
    batches,
    batchesDone,
    batchesFailed,
    expected: Number(row.expected),
    sent: Number(row.sent),
    gone: Number(row.gone),
    failed: Number(row.failed),
    attempts: Number(row.attempts),
    done: batchesDone + batchesFailed === batches,
  };
}
