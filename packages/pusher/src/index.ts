export type { PushResult, PushService, PushSubscription, SendOptions } from "@swp/sender";
export { SubscriptionError } from "@swp/sender";
export type { StoredSubscription, SubscriptionStore } from "@swp/store";
export { SessionIdError } from "@swp/store";
export type {
  DistributedNotifyOptions,
  PusherBatchReport,
  PusherPostgresOptions,
  PusherWorker,
  PusherWorkerOptions,
} from "./distributed.ts";
export { isSwpError, PusherError, type PusherErrorCode } from "./errors.ts";
export type { PushData } from "./lib/encode-data.ts";
export type { PusherOptions, PusherSenderOptions } from "./options.ts";
export {
  type NotifyAllOptions,
  Pusher,
  type PushOptions,
  type PushProgress,
  type SendToAllOptions,
  type SubscriptionInput,
} from "./pusher.ts";
export type { PushSummary } from "./summary.ts";
