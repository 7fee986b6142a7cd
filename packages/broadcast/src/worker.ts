import { hostname } from "node:os";
import type { Sender, SendItem, SendOptions } from "@swp/sender";
import { readAudienceRange, removeEndpoints } from "@swp/store-kysely";
import { openPostgresDatabase } from "@swp/store-postgres";
import { base64urlDecode } from "@swp/subscription";
import { type Kysely, sql } from "kysely";
import type PgBoss from "pg-boss";
import { DEFAULT_BOSS_SCHEMA, DEFAULT_QUEUE, type QueueLocation } from "./broadcaster.ts";
import { BroadcastError } from "./errors.ts";
import { migrateBroadcastTables } from "./lib/migrations.ts";
import { type BatchJob, startQueue } from "./lib/queue.ts";
import type { BroadcastDatabase } from "./schema.ts";

/**
 * What a worker reports after each batch it ran (`onBatch`).
 *
 * @example
 * ```ts
 * await runWorker({ connectionString, sender, onBatch: (b) => console.log(b.broadcastId, b.batchNo, b.sent) })
 * ```
 */
export interface BatchReport {
  broadcastId: string;
  batchNo: number;
  /** `recorded`: this run's counts are the batch's; `duplicate`: another run had recorded it first. */
  outcome: "recorded" | "duplicate" | "already-done";
  sent: number;
  gone: number;
  failed: number;
  /** ms this run took. */
  ms: number;
}

/**
 * Options of {@link runWorker}: where the queue is, and the `Sender` that delivers.
 *
 * @example
 * ```ts
 * const worker = await runWorker({ connectionString, sender: createSender({ vapid }), concurrency: 2 })
 * ```
 */
export interface WorkerOptions extends QueueLocation {
  /**
   * The sender that delivers (`createSender` of `@swp/sender`, with the same VAPID keys as
   * the app). The worker does not close it.
   */
  sender: Sender;
  /** Batches run at once by this process. Default 2. */
  concurrency?: number;
  /** How often an idle worker asks for a batch, seconds (at least 0.5). Default 2. */
  pollingIntervalSeconds?: number;
  /**
   * How often this worker runs pg-boss's maintenance, which hands the batches of workers
   * whose lease expired (killed, hung) to others. Seconds; default 30. Any one running
   * worker is enough.
   */
  superviseIntervalSeconds?: number;
  /** This worker's name in the batch records. Default `<host>:<pid>`. */
  name?: string;
  /** Called after each batch. An exception it throws is ignored. */
  onBatch?: (report: BatchReport) => void;
  /** Errors of a batch run (it will be retried) and of pg-boss's background work. */
  onError?: (error: Error) => void;
  /** Clock, ms since the epoch (batch timestamps). Default `Date.now`. */
  now?: () => number;
}

/**
 * A running worker.
 *
 * @example
 * ```ts
 * process.on("SIGTERM", () => worker.stop().then(() => process.exit(0)))
 * ```
 */
export interface BroadcastWorker {
  /** Its name in the batch records. */
  readonly name: string;
  /**
   * Takes no new batch, lets the batches under way finish (up to `timeoutMs`, default 30 s;
   * an unfinished one is retried by another worker after its lease), then stops pg-boss
   * and ends the pool it made. The sender is left open.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

function positive(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new RangeError(`${name} must be a number of at least ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * Runs a broadcast worker: takes batches from the pg-boss queue, sends each with the given
 * `Sender`'s `sendAll` (whose per-origin lanes let a 429 slow only its own origin),
 * records the batch's counts and removes its gone subscriptions in one transaction, then
 * completes the job.
 *
 * Failure behaviour:
 * - A worker killed mid-batch records nothing; the batch's lease expires and pg-boss hands it
 *   to another worker, which sends the whole batch again. Duplicates are limited to that
 *   batch, and every message of a broadcast carries the same `Topic`, so a copy still
 *   waiting on the push service is replaced rather than shown twice.
 * - Counts never double: the record is `UPDATE … WHERE state = 'pending'`; a run that finds
 *   the batch already recorded (two runs overlapping, or a crash between recording and
 *   completing the job) changes nothing and reports `duplicate`.
 * - A run stops sending at 80 % of its lease (remaining messages end as `aborted`, counted
 *   failed) so that a slow batch is recorded before another worker would start it again.
 *
 * @example
 * ```ts
 * import { createSender } from "@swp/sender"
 * import { createVapid } from "@swp/vapid"
 * import { loadOrCreateKeyFile } from "@swp/vapid/node"
 * import { runWorker } from "@swp/broadcast"
 *
 * const vapid = createVapid({ keys: await loadOrCreateKeyFile("private_key.pem"), subject: "mailto:ops@example.com" })
 * const worker = await runWorker({ connectionString: process.env.DATABASE_URL, sender: createSender({ vapid }) })
 * process.on("SIGTERM", () => worker.stop())
 * ```
 */
export async function runWorker(options: WorkerOptions): Promise<BroadcastWorker> {
  if (
    options === null ||
    typeof options !== "object" ||
    typeof options.sender?.sendAll !== "function"
  ) {
    throw new TypeError("runWorker needs { sender } from createSender() of @swp/sender");
  }
  const { sender } = options;
  const queue = options.queue ?? DEFAULT_QUEUE;
  const bossSchema = options.bossSchema ?? DEFAULT_BOSS_SCHEMA;
  const concurrency = Math.floor(positive("concurrency", options.concurrency, 2));
  const pollingIntervalSeconds = positive(
    "pollingIntervalSeconds",
    options.pollingIntervalSeconds,
    2,
    0.5,
  );
  const superviseIntervalSeconds = Math.ceil(
    positive("superviseIntervalSeconds", options.superviseIntervalSeconds, 30),
  );
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const now = options.now ?? Date.now;
  const onError = options.onError ?? (() => {});

  const database = await openPostgresDatabase({ ...options, max: options.max ?? concurrency + 2 });
  const db = database.db as Kysely<BroadcastDatabase>;
  let boss: PgBoss;
  try {
    await migrateBroadcastTables(db, database.schema);
    boss = await startQueue({
      connectionString: options.connectionString,
      db,
      bossSchema,
      queue,
      superviseIntervalSeconds,
      max: 2,
      onError,
    });
  } catch (error) {
    await database.close();
    throw error;
  }

  async function runBatch(job: PgBoss.Job<BatchJob>): Promise<void> {
    const started = now();
    const { broadcastId, batchNo } = job.data;
    if (job.data.schema !== database.schema) {
      // A job for tables in another schema: this worker cannot serve it. Failing it would
      // spend its retries; it should never happen when coordinator and workers agree.
      throw new BroadcastError(
        "ERR_BROADCAST_DATABASE",
        `batch ${batchNo} of ${broadcastId} is for schema ${job.data.schema}, this worker uses ${database.schema}`,
      );
    }
    const claimed = await db
      .updateTable("swp_broadcast_batches")
      .set((e) => ({ attempts: e("attempts", "+", 1), worker: name, started_at: started }))
      .where("broadcast_id", "=", broadcastId)
      .where("batch_no", "=", batchNo)
      .where("state", "=", "pending")
      .returningAll()
      .executeTakeFirst();
    const broadcast = await db
      .selectFrom("swp_broadcasts")
      .selectAll()
      .where("id", "=", broadcastId)
      .executeTakeFirst();
    if (claimed === undefined || broadcast === undefined) {
      // Recorded already (its job was re-run after a crash that followed the record), or the
      // broadcast was deleted: nothing to send.
      report({ broadcastId, batchNo, outcome: "already-done", sent: 0, gone: 0, failed: 0, ms: 0 });
      return;
    }

    const payload = base64urlDecode(broadcast.payload);
    const send = JSON.parse(broadcast.send_options) as SendOptions;
    const items: SendItem[] = [];
    // The batch's key range as it is now, through the store's audience API (all SQL on
    // the subscriptions table lives in @swp/store-kysely).
    const rows = readAudienceRange(
      db,
      { afterKey: claimed.after_key, lastKey: claimed.last_key },
      {
        groupId: broadcast.group_id === null ? undefined : Number(broadcast.group_id),
        except: JSON.parse(broadcast.except_ids) as string[],
      },
    );
    for await (const { sessionId, subscription } of rows) {
      items.push({ subscription, payload, id: sessionId });
    }
    // Stop at 80 % of the lease: record what was done before pg-boss could give the batch
    // to another worker (which would send it all again).
    const leaseMs = (job.expireInSeconds || 900) * 1000;
    const deadline = AbortSignal.timeout(Math.max(1000, Math.floor(leaseMs * 0.8)));
    let sent = 0;
    let failed = 0;
    const gone: string[] = [];
    // One sendAll for the batch: the sender gives each push-service origin its own lane, and
    // an origin that answered 429 is paused for every caller until its Retry-After, so a
    // throttled push service slows only its own messages.
    for await (const result of sender.sendAll(items, { ...send, signal: deadline })) {
      if (result.ok) sent++;
      else if (result.gone) gone.push(result.endpoint);
      else failed++;
    }

    const recorded = await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable("swp_broadcast_batches")
        .set({
          state: "done",
          sent,
          gone: gone.length,
          failed,
          worker: name,
          finished_at: now(),
          error: null,
        })
        .where("broadcast_id", "=", broadcastId)
        .where("batch_no", "=", batchNo)
        .where("state", "=", "pending")
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return false;
      // Pruned in the transaction that records the batch: a run that dies before recording
      // has removed nothing, so its re-run sees the same subscriptions and counts them all.
      await removeEndpoints(trx, gone);
      return true;
    });
    report({
      broadcastId,
      batchNo,
      outcome: recorded ? "recorded" : "duplicate",
      sent,
      gone: gone.length,
      failed,
      ms: now() - started,
    });
  }

  function report(r: BatchReport): void {
    try {
      options.onBatch?.(r);
    } catch {
      // A progress callback must not fail the batch.
    }
  }

  async function handle(jobs: PgBoss.Job<BatchJob>[]): Promise<void> {
    for (const job of jobs) {
      try {
        await runBatch(job);
      } catch (error) {
        onError(error as Error);
        const message = String((error as Error)?.message ?? error).slice(0, 1000);
        await sql`update swp_broadcast_batches set error = ${message}
          where broadcast_id = ${job.data.broadcastId} and batch_no = ${job.data.batchNo}`
          .execute(db)
          .catch(() => {});
        throw error; // pg-boss fails the job and retries it (retryLimit)
      }
    }
  }

  const workIds: string[] = [];
  for (let i = 0; i < concurrency; i++) {
    workIds.push(
      await boss.work<BatchJob>(queue, { batchSize: 1, pollingIntervalSeconds }, handle),
    );
  }

  let stopping: Promise<void> | undefined;
  return {
    name,
    stop({ timeoutMs = 30_000 } = {}) {
      stopping ??= (async () => {
        await boss.stop({ graceful: true, wait: true, timeout: timeoutMs }).catch(onError);
        await database.close();
      })();
      return stopping;
    },
  };
}
