// Distributed broadcasts and workers for the facade, on the optional @swp/broadcast package,
// imported on first use. Its module type is named only inside this file's code: the facade's
// public types (the interfaces below) never name a package the user may not have installed.
import type { Sender, SendOptions } from "@swp/sender";
import { PusherError } from "./errors.ts";
import { importOptional } from "./lib/optional-package.ts";
import type { PusherPostgresOptions } from "./postgres-options.ts";
import type { PushProgress } from "./push-progress.ts";
import type { PushSummary } from "./summary.ts";

type BroadcastModule = typeof import("@swp/broadcast");
type BroadcastProgress = import("@swp/broadcast").BroadcastProgress;

/**
 * Options of `notifyAll(data, { distributed: true, … })` beyond the usual ones.
 *
 * @example
 * ```ts
 * await pusher.notifyAll("News", { distributed: true, batchSize: 2000, onBroadcast: (id) => log(id) })
 * ```
 */
export interface DistributedNotifyOptions {
  /** Enqueue the broadcast for `swp worker` processes instead of sending from this process. */
  distributed?: boolean;
  /** Subscriptions per batch (per job). Default 1000. */
  batchSize?: number;
  /** Seconds a worker may hold a batch before another takes it over. Default 300. */
  leaseSeconds?: number;
  /** Called with the broadcast id as soon as it is queued (to follow it from elsewhere). */
  onBroadcast?: (broadcastId: string) => void;
}

/**
 * A batch a worker finished (`runWorker({ onBatch })`).
 *
 * @example
 * ```ts
 * await pusher.runWorker({ onBatch: (b) => console.log(`batch ${b.batchNo}: ${b.sent} sent`) })
 * ```
 */
export interface PusherBatchReport {
  broadcastId: string;
  batchNo: number;
  /** `recorded`, or `duplicate`/`already-done` when another run had recorded the batch. */
  outcome: string;
  sent: number;
  gone: number;
  failed: number;
  ms: number;
}

/**
 * Options of {@link Pusher.runWorker}.
 *
 * @example
 * ```ts
 * const worker = await pusher.runWorker({ concurrency: 4 })
 * ```
 */
export interface PusherWorkerOptions {
  /** Batches run at once by this process. Default 2. */
  concurrency?: number;
  /** How often an idle worker asks for a batch, seconds. Default 2. */
  pollingIntervalSeconds?: number;
  /** How often it hands expired leases (dead workers' batches) to others, seconds. Default 30. */
  superviseIntervalSeconds?: number;
  /** Its name in the batch records. Default `<host>:<pid>`. */
  name?: string;
  onBatch?: (report: PusherBatchReport) => void;
  onError?: (error: Error) => void;
}

/**
 * A running worker of distributed broadcasts.
 *
 * @example
 * ```ts
 * process.on("SIGTERM", () => worker.stop())
 * ```
 */
export interface PusherWorker {
  readonly name: string;
  /** Finishes the batches under way (up to 30 s), then stops. */
  stop(): Promise<void>;
}

function needPostgres(
  postgres: Readonly<PusherPostgresOptions> | undefined,
  what: string,
): Readonly<PusherPostgresOptions> {
  if (postgres === undefined) {
    throw new PusherError(
      "ERR_PUSHER_NO_POSTGRES",
      `${what} needs PostgreSQL: pass new Pusher({ postgres: "postgres://…" }) (swp: --postgres <url>)`,
    );
  }
  return postgres;
}

function loadBroadcast(what: string): Promise<BroadcastModule> {
  return importOptional<BroadcastModule>("@swp/broadcast", what);
}

/** Send options a broadcast carries to its workers (the rest are the workers' own). */
const CARRIED = ["ttl", "urgency", "topic", "encoding", "padding"] as const;

/**
 * Queues a broadcast and follows it to its end: the facade's `notifyAll(…, { distributed:
 * true })`. Results stay in the workers; the summary has the counts (`results` is empty).
 */
export async function notifyAllDistributed(
  postgresOption: Readonly<PusherPostgresOptions> | undefined,
  payload: string | Uint8Array,
  o: DistributedNotifyOptions & {
    groupId: number | undefined;
    except: ReadonlySet<string>;
    /** True when the Pusher was given a `store` of the caller's instead of opening PostgreSQL. */
    ownStore: boolean;
    send: SendOptions;
    onProgress: ((progress: PushProgress) => void) | undefined;
  },
): Promise<PushSummary> {
  const postgres = needPostgres(postgresOption, "notifyAll with distributed: true");
  if (o.ownStore) {
    // The workers read the audience from the PostgreSQL tables of the `postgres` option; a
    // store of the caller's may hold other subscriptions, and a broadcast must reach the
    // same people as a plain notifyAll.
    throw new PusherError(
      "ERR_PUSHER_DISTRIBUTED_STORE",
      "notifyAll with distributed: true sends to the subscriptions in the PostgreSQL database of the postgres option, " +
        "but this Pusher was given its own store, which the workers cannot read: " +
        "drop the store option (the Pusher then opens the PostgreSQL store itself) or leave out distributed: true",
    );
  }
  const ignored = Object.keys(o.send).filter(
    (key) =>
      !(CARRIED as readonly string[]).includes(key) &&
      (o.send as Record<string, unknown>)[key] !== undefined,
  );
  if (ignored.length > 0) {
    throw new TypeError(
      `with distributed: true only ${CARRIED.join(", ")} travel to the workers; ${ignored.join(", ")} would be ignored`,
    );
  }
  const { openBroadcaster } = await loadBroadcast("notifyAll with distributed: true");
  const broadcaster = await openBroadcaster({
    ...postgres,
    ...(o.leaseSeconds === undefined ? {} : { leaseSeconds: o.leaseSeconds }),
  });
  try {
    const carried: Pick<SendOptions, (typeof CARRIED)[number]> = {};
    for (const key of CARRIED) {
      if (o.send[key] !== undefined) Object.assign(carried, { [key]: o.send[key] });
    }
    const id = await broadcaster.startBroadcast({
      ...carried,
      payload,
      ...(o.groupId === undefined ? {} : { groupId: o.groupId }),
      except: o.except,
      ...(o.batchSize === undefined ? {} : { batchSize: o.batchSize }),
    });
    o.onBroadcast?.(id);
    const { onProgress } = o;
    const summary = await broadcaster.waitForBroadcast(id, {
      ...(onProgress
        ? {
            onProgress: (p: BroadcastProgress) =>
              onProgress({
                done: p.sent + p.gone + p.failed,
                total: p.expected,
                sent: p.sent,
                gone: p.gone,
                failed: p.failed,
              }),
          }
        : {}),
    });
    const { total, sent, gone, failed } = summary;
    return { total, sent, gone, failed, results: [], errors: [] };
  } finally {
    await broadcaster.close();
  }
}

/** Starts a worker of distributed broadcasts with the facade's sender: `Pusher.runWorker`. */
export async function startWorker(
  postgresOption: Readonly<PusherPostgresOptions> | undefined,
  sender: () => Promise<Sender>,
  options: PusherWorkerOptions,
): Promise<PusherWorker> {
  // Checked before the sender is made: that would create key files for nothing.
  const postgres = needPostgres(postgresOption, "a broadcast worker");
  const { runWorker } = await loadBroadcast("a broadcast worker");
  return runWorker({ ...postgres, ...options, sender: await sender() });
}
