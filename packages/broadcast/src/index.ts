export {
  type Broadcaster,
  type BroadcasterOptions,
  DEFAULT_BATCH_SIZE,
  DEFAULT_BOSS_SCHEMA,
  DEFAULT_LEASE_SECONDS,
  DEFAULT_QUEUE,
  type FollowOptions,
  openBroadcaster,
  type QueueLocation,
  type StartBroadcastOptions,
} from "./broadcaster.ts";
export { BroadcastError, type BroadcastErrorCode, isSwpError } from "./errors.ts";
export type { BroadcastProgress, BroadcastSummary } from "./progress.ts";
export type {
  BatchState,
  BroadcastBatchesTable,
  BroadcastDatabase,
  BroadcastsTable,
} from "./schema.ts";
export { type BatchReport, type BroadcastWorker, runWorker, type WorkerOptions } from "./worker.ts";
