import { randomUUID } from "node:crypto";
import { isValidTopic, type SendOptions } from "@swp/sender";
import { assertGroupId } from "@swp/store";
import { cutAudience, migrateSubscriptionStore } from "@swp/store-kysely";
import { openPostgresDatabase, type PostgresConnectionOptions } from "@swp/store-postgres";
import { base64urlEncode } from "@swp/subscription";
import { type Kysely, sql } from "kysely";
import type PgBoss from "pg-boss";
import { BroadcastError } from "./errors.ts";
import { migrateBroadcastTables } from "./lib/migrations.ts";
import { type BatchJob, kyselyExecutor, startQueue } from "./lib/queue.ts";
import {
  type BroadcastProgress,
  type BroadcastSummary,
  readProgress,
  summaryOf,
} from "./progress.ts";
import type { BroadcastDatabase } from "./schema.ts";

/** Default name of the pg-boss queue that carries batches. */
export const DEFAULT_QUEUE = "swp-broadcast";
/** Default schema of pg-boss's tables. */
export const DEFAULT_BOSS_SCHEMA = "pgboss";
/** Default subscriptions per batch. */
export const DEFAULT_BATCH_SIZE = 1000;
/** Default lease of a batch, seconds: how long a worker may hold it before another takes over. */
export const DEFAULT_LEASE_SECONDS = 300;

/**
 * Where the queue lives: the PostgreSQL database (and schema) of the subscriptions, the
 * schema of pg-boss's tables and the queue's name. Coordinators and workers must agree on
 * all of them.
 *
 * @example
 * ```ts
 * const where: QueueLocation = { connectionString: process.env.DATABASE_URL, queue: "news" }
 * ```
 */
export interface QueueLocation extends PostgresConnectionOptions {
  /** Schema of pg-boss's tables. Default `"pgboss"`. */
  bossSchema?: string;
  /** Name of the pg-boss queue. Default `"swp-broadcast"`. */
  queue?: string;
}

/**
 * Options of {@link openBroadcaster}.
 *
 * @example
 * ```ts
 * const broadcaster = await openBroadcaster({ connectionString, leaseSeconds: 120 })
 * ```
 */
export interface BroadcasterOptions extends QueueLocation {
  /**
   * How long a worker may hold a batch, in seconds, before pg-boss gives it to another
   * worker (a worker that crashed or hangs). Workers stop sending a batch at 80 % of it
   * and record what they have, so a slow batch is not sent twice. Default 300.
   */
  leaseSeconds?: number;
  /** Runs of a batch after the first, when a run fails or its lease expires. Default 5. */
  retryLimit?: number;
  /** Clock, ms since the epoch (`created_at`). Default `Date.now`. */
  now?: () => number;
  /** Errors of pg-boss's background work (never thrown): default, ignored. */
  onError?: (error: Error) => void;
}

/**
 * One broadcast to start: the message and its send options, and which subscriptions.
 *
 * @example
 * ```ts
 * await broadcaster.startBroadcast({ payload: JSON.stringify({ title: "News" }), groupId: 3, ttl: 3600 })
 * ```
 */
export interface StartBroadcastOptions
  extends Pick<SendOptions, "ttl" | "urgency" | "topic" | "encoding" | "padding"> {
  /** The message: a string (sent as UTF-8) or bytes. */
  payload: string | Uint8Array;
  /** Only this group's subscriptions (default: every group). */
  groupId?: number;
  /** Session ids left out (e.g. the sender's own). */
  except?: Iterable<string>;
  /**
   * RFC 8030 section 5.4 `Topic` of every message. Default: derived from the broadcast id
   * (32 base64url characters), so that a message sent twice after a crash replaces its
   * first copy if that one is still waiting on the push service.
   */
  topic?: string;
  /** Subscriptions per batch (per job). Default 1000. */
  batchSize?: number;
}

/**
 * Options of {@link Broadcaster.followBroadcast} and {@link Broadcaster.waitForBroadcast}.
 *
 * @example
 * ```ts
 * for await (const p of broadcaster.followBroadcast(id, { intervalMs: 250 })) console.log(p.done, p.sent)
 * ```
 */
export interface FollowOptions {
  /** How often the tables are read, ms. Default 1000. */
  intervalMs?: number;
  /** Stops following (the iteration ends; the broadcast goes on). */
  signal?: AbortSignal;
}

/**
 * The coordinator's side of distributed broadcasts: starts them and follows them. All state
 * is in PostgreSQL, so any process (this one after a restart, another app server) can follow
 * a broadcast by its id.
 *
 * @example
 * ```ts
 * const id = await broadcaster.startBroadcast({ payload: "Hello everyone" })
 * const { sent, gone, failed } = await broadcaster.waitForBroadcast(id)
 * ```
 */
export interface Broadcaster {
  /**
   * Cuts the audience into key-range batches, records the broadcast and its batches, and
   * enqueues one job per batch, all in one transaction: either the whole broadcast is
   * queued or nothing is. Resolves with the broadcast id.
   */
  startBroadcast(options: StartBroadcastOptions): Promise<string>;
  /** The broadcast's counts now. Rejects with `ERR_BROADCAST_NOT_FOUND` for an unknown id. */
  getBroadcast(id: string): Promise<BroadcastProgress>;
  /**
   * Progress as it changes, read from the tables every `intervalMs`; the last value has
   * `done: true`. A batch whose job pg-boss gave up on (its retries spent) is marked failed
   * here, its subscriptions counted in `failed`, so the broadcast always ends.
   */
  followBroadcast(id: string, options?: FollowOptions): AsyncIterable<BroadcastProgress>;
  /** Resolves with the final summary once every batch is recorded or failed. */
  waitForBroadcast(
    id: string,
    options?: FollowOptions & { onProgress?: (progress: BroadcastProgress) => void },
  ): Promise<BroadcastSummary>;
  /** Stops pg-boss and ends the pool (if it was created here). Broadcasts go on in the workers. */
  close(): Promise<void>;
}

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value as number;
}

function nonNegativeInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value as number;
}

/** The default Topic: the broadcast's UUID without dashes, 32 base64url characters. */
function topicFor(id: string): string {
  return id.replaceAll("-", "");
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Opens the coordinator of distributed broadcasts on PostgreSQL: creates the broadcast
 * tables and pg-boss's (if missing) and the queue, and returns a {@link Broadcaster}.
 * Workers (`runWorker`, or `swp worker`) on any number of machines do the sending.
 *
 * @example
 * ```ts
 * import { openBroadcaster } from "@swp/broadcast"
 *
 * const broadcaster = await openBroadcaster({ connectionString: process.env.DATABASE_URL })
 * const id = await broadcaster.startBroadcast({ payload: JSON.stringify({ title: "News" }) })
 * for await (const p of broadcaster.followBroadcast(id)) console.log(`${p.sent + p.gone + p.failed}/${p.expected}`)
 * await broadcaster.close()
 * ```
 */
export async function openBroadcaster(options: BroadcasterOptions): Promise<Broadcaster> {
  const queue = options.queue ?? DEFAULT_QUEUE;
  const bossSchema = options.bossSchema ?? DEFAULT_BOSS_SCHEMA;
  const leaseSeconds = positiveInteger("leaseSeconds", options.leaseSeconds, DEFAULT_LEASE_SECONDS);
  const retryLimit = nonNegativeInteger("retryLimit", options.retryLimit, 5);
  const now = options.now ?? Date.now;
  const database = await openPostgresDatabase({ ...options, max: options.max ?? 4 });
  const db = database.db as Kysely<BroadcastDatabase>;
  let boss: PgBoss;
  try {
    // The subscriptions table too: a coordinator may start before any app server did.
    await migrateSubscriptionStore(db, { path: database.path, schema: database.schema });
    await migrateBroadcastTables(db, database.schema);
    boss = await startQueue({
      connectionString: options.connectionString,
      db,
      bossSchema,
      queue,
      // Lease expiry is the workers' business (they supervise); a coordinator only enqueues.
      superviseIntervalSeconds: 0,
      max: 2,
      onError: options.onError ?? (() => {}),
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  let closed = false;
  const assertOpen = () => {
    if (closed) throw new BroadcastError("ERR_BROADCAST_CLOSED", "this broadcaster was closed");
  };

  async function markGivenUp(id: string): Promise<void> {
    // Batches whose job pg-boss failed for good (retries spent) or that someone cancelled:
    // their subscriptions are counted as failed so that the broadcast ends.
    await sql`
      update swp_broadcast_batches as b
      set state = 'failed', failed = b.expected, sent = 0, gone = 0, finished_at = ${now()}
      from ${sql.id(bossSchema, "job")} as j
      where b.broadcast_id = ${id} and b.state = 'pending'
        and j.name = ${queue} and j.id::text = b.job_id and j.state in ('failed', 'cancelled')
    `.execute(db);
  }

  const broadcaster: Broadcaster = {
    async startBroadcast(o) {
      assertOpen();
      if (o === null || typeof o !== "object") {
        throw new TypeError("startBroadcast needs { payload }");
      }
      const payload =
        typeof o.payload === "string"
          ? new TextEncoder().encode(o.payload)
          : o.payload instanceof Uint8Array
            ? o.payload
            : undefined;
      if (payload === undefined) {
        throw new TypeError("payload must be a string or a Uint8Array");
      }
      if (o.groupId !== undefined) assertGroupId(o.groupId);
      const batchSize = positiveInteger("batchSize", o.batchSize, DEFAULT_BATCH_SIZE);
      const except = [...(o.except ?? [])];
      const id = randomUUID();
      const topic = o.topic ?? topicFor(id);
      if (!isValidTopic(topic)) {
        throw new RangeError(
          `topic must be 1 to 32 base64url characters (RFC 8030 section 5.4), got ${topic.length} characters`,
        );
      }
      const sendOptions: SendOptions = { topic };
      for (const key of ["ttl", "urgency", "encoding", "padding"] as const) {
        if (o[key] !== undefined) (sendOptions as Record<string, unknown>)[key] = o[key];
      }
      try {
        await db.transaction().execute(async (trx) => {
          const ranges = await cutAudience(trx, { groupId: o.groupId, batchSize });
          await trx
            .insertInto("swp_broadcasts")
            .values({
              id,
              created_at: now(),
              payload: base64urlEncode(payload),
              send_options: JSON.stringify(sendOptions),
              group_id: o.groupId ?? null,
              except_ids: JSON.stringify(except),
              batch_size: batchSize,
              batches: ranges.length,
              expected: ranges.reduce((n, r) => n + r.expected, 0),
            })
            .execute();
          const jobs: PgBoss.JobInsert<BatchJob>[] = [];
          const batches = ranges.map((range, batchNo) => {
            const jobId = randomUUID();
            jobs.push({
              id: jobId,
              name: queue,
              data: { broadcastId: id, batchNo, schema: database.schema },
              expireInSeconds: leaseSeconds,
              retryLimit,
              retryDelay: 1,
            });
            return {
              broadcast_id: id,
              batch_no: batchNo,
              after_key: range.afterKey,
              last_key: range.lastKey,
              expected: range.expected,
              job_id: jobId,
            };
          });
          // Bounded statements: 1,000 batches (a million subscriptions at the default size) per INSERT.
          for (let i = 0; i < batches.length; i += 1000) {
            await trx
              .insertInto("swp_broadcast_batches")
              .values(batches.slice(i, i + 1000))
              .execute();
          }
          // The jobs go into pg-boss's table in the same transaction: a coordinator that dies
          // here leaves either a whole, queued broadcast or none.
          for (let i = 0; i < jobs.length; i += 1000) {
            await boss.insert(jobs.slice(i, i + 1000), { db: kyselyExecutor(trx) });
          }
        });
      } catch (error) {
        if (error instanceof BroadcastError) throw error;
        throw new BroadcastError(
          "ERR_BROADCAST_DATABASE",
          `cannot start the broadcast (${database.path}): ${(error as Error)?.message ?? String(error)}`,
          { cause: error },
        );
      }
      return id;
    },

    async getBroadcast(id) {
      assertOpen();
      await markGivenUp(id);
      return readProgress(db, id);
    },

    async *followBroadcast(id, o = {}) {
      const intervalMs = positiveInteger("intervalMs", o.intervalMs, 1000);
      let last = "";
      for (;;) {
        const progress = await broadcaster.getBroadcast(id);
        const key = JSON.stringify(progress);
        if (key !== last) {
          last = key;
          yield progress;
        }
        if (progress.done || o.signal?.aborted) return;
        await sleep(intervalMs, o.signal);
      }
    },

    async waitForBroadcast(id, o = {}) {
      let final: BroadcastProgress | undefined;
      for await (const progress of broadcaster.followBroadcast(id, o)) {
        o.onProgress?.(progress);
        final = progress;
      }
      if (!final?.done) {
        throw new BroadcastError(
          "ERR_BROADCAST_CLOSED",
          "stopped following before the broadcast ended",
        );
      }
      return summaryOf(final);
    },

    async close() {
      if (closed) return;
      closed = true;
      await boss.stop({ graceful: false, wait: true }).catch(() => {});
      await database.close();
    },
  };
  return broadcaster;
}
