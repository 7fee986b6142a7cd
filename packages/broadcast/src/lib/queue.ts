import { CompiledQuery, type Kysely } from "kysely";
import PgBoss from "pg-boss";
import { BroadcastError } from "../errors.ts";

/** The job a batch travels in: only its address; the worker reads the rest from the tables. */
export interface BatchJob {
  broadcastId: string;
  batchNo: number;
  /** The schema of the broadcast and subscription tables, so one queue can serve several. */
  schema: string;
}

/** Where pg-boss keeps its tables, and the queue's name. */
export interface QueueOptions {
  connectionString: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: any Kysely; pg-boss only runs raw SQL through it
  db: Kysely<any>;
  bossSchema: string;
  queue: string;
  /** Run pg-boss's maintenance (expiry of leases of dead workers) every this many seconds; 0: never. */
  superviseIntervalSeconds: number;
  /** Connections of pg-boss's own pool (with a connection string). */
  max: number;
  onError: (error: Error) => void;
}

/**
 * pg-boss for a broadcaster or a worker. With a connection string it keeps its own small
 * pool; with a pool of the caller's it runs its SQL through our Kysely instance (its `db`
 * option), so no second pool is made behind the caller's back.
 */
export async function startQueue(o: QueueOptions): Promise<PgBoss> {
  const supervise = o.superviseIntervalSeconds > 0;
  const boss = new PgBoss({
    ...(o.connectionString !== undefined
      ? { connectionString: o.connectionString, max: o.max }
      : { db: kyselyExecutor(o.db) }),
    schema: o.bossSchema,
    application_name: "swp-broadcast",
    supervise,
    ...(supervise ? { maintenanceIntervalSeconds: o.superviseIntervalSeconds } : {}),
    schedule: false,
    migrate: true,
  });
  // An EventEmitter 'error' without a listener would throw out of a timer and end the process.
  boss.on("error", o.onError);
  try {
    await boss.start();
    // createQueue is an upsert-free insert in pg-boss 10: a second caller gets a duplicate.
    if ((await boss.getQueue(o.queue)) === null) {
      await boss.createQueue(o.queue).catch(async (error: unknown) => {
        if ((await boss.getQueue(o.queue)) === null) throw error;
      });
    }
  } catch (error) {
    await boss.stop({ graceful: false, wait: false }).catch(() => {});
    throw new BroadcastError(
      "ERR_BROADCAST_QUEUE",
      `cannot start the job queue (pg-boss, schema ${o.bossSchema}): ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    );
  }
  return boss;
}

/** pg-boss's `db` option over a Kysely instance (or a transaction of one). */
// biome-ignore lint/suspicious/noExplicitAny: any Kysely or Transaction
export function kyselyExecutor(db: Kysely<any>): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const result = await db.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows as unknown[] };
    },
  };
}
