import type { BigIntColumn } from "@swp/store-kysely";
import type { Generated } from "kysely";

/**
 * `swp_broadcasts`: one row per broadcast, written once by the coordinator. Everything a
 * worker needs to send a batch is here, so any worker on any machine can run any batch.
 *
 * @example
 * ```ts
 * const row = await db.selectFrom("swp_broadcasts").selectAll().where("id", "=", id).executeTakeFirst()
 * ```
 */
export interface BroadcastsTable {
  /** A UUID. */
  id: string;
  /** ms since the epoch. */
  created_at: BigIntColumn;
  /** The message, base64url (at most 4 KB before encryption). */
  payload: string;
  /** The per-message send options (`ttl`, `urgency`, `topic`, `encoding`, `padding`) as JSON. */
  send_options: string;
  /** The group addressed, or null for every group. */
  group_id: BigIntColumn<null>;
  /** Session ids left out, as a JSON array. */
  except_ids: string;
  /** Subscriptions per batch. */
  batch_size: number;
  /** Number of batches (rows in `swp_broadcast_batches`). */
  batches: number;
  /** Subscriptions in the audience when it was cut. */
  expected: BigIntColumn;
}

/** State of one batch: waiting or running (`pending`), recorded (`done`), or given up (`failed`). */
export type BatchState = "pending" | "done" | "failed";

/**
 * `swp_broadcast_batches`: one row per batch, a key range of session ids. A worker records
 * the batch's counts here, once (the first complete run wins; see the worker).
 */
export interface BroadcastBatchesTable {
  broadcast_id: string;
  /** 0, 1, 2 … in key order. */
  batch_no: number;
  /** Exclusive lower bound of session ids, or null for the first batch. */
  after_key: string | null;
  /** Inclusive upper bound, or null for the last batch (which takes whatever comes after). */
  last_key: string | null;
  /** Subscriptions in the range when the audience was cut. */
  expected: number;
  /** The pg-boss job that carries this batch (a UUID). */
  job_id: string;
  state: Generated<BatchState>;
  sent: Generated<number>;
  gone: Generated<number>;
  failed: Generated<number>;
  /** Runs started (more than one after a crash or an expired lease). */
  attempts: Generated<number>;
  /** Name of the worker that recorded it (or last started it). */
  worker: string | null;
  started_at: BigIntColumn<null>;
  finished_at: BigIntColumn<null>;
  /** The last error a run of this batch threw, if any. */
  error: string | null;
}

/**
 * The broadcast tables. The store's `subscriptions` table is not in it on purpose: the
 * audience is cut, read and pruned through `@swp/store-kysely`'s audience API
 * (`cutAudience`, `readAudienceRange`, `removeEndpoints`), the one place its SQL lives.
 *
 * @example
 * ```ts
 * const db = new Kysely<BroadcastDatabase>({ dialect })
 * ```
 */
export interface BroadcastDatabase {
  swp_broadcasts: BroadcastsTable;
  swp_broadcast_batches: BroadcastBatchesTable;
}
