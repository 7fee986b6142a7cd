export {
  createDeclarativeMessage,
  DeclarativeError,
  type DeclarativeMessage,
  type DeclarativeMessageInit,
} from "@swp/declarative";
export type { PushResult, PushService, SendOptions } from "@swp/sender";
export type { StoredSubscription, SubscriptionStore } from "@swp/store";
export { SessionIdError } from "@swp/store";
export { type PushSubscription, SubscriptionError } from "@swp/subscription";
export type {
  DistributedNotifyOptions,
  PusherBatchReport,
  PusherWorker,
  PusherWorkerOptions,
} from "./distributed.ts";
export { isSwpError, PusherError, type PusherErrorCode } from "./errors.ts";
export type { PushData } from "./lib/encode-data.ts";
export type {
  PusherInvalidPythonRow,
  PusherOptions,
  PusherSenderOptions,
  PusherSqliteOptions,
} from "./options.ts";
export type { PusherPostgresOptions } from "./postgres-options.ts";
export type { PushProgress } from "./push-progress.ts";
export {
  type NotifyAllOptions,
  Pusher,
  type PushOptions,
  type SendToAllOptions,
  type SubscriptionInput,
} from "./pusher.ts";
export type { PushSummary } from "./summary.ts";
