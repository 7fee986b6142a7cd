export {
  BlockedAddressError,
  InvalidOptionError,
  isSwpError,
  PayloadTooLargeError,
  PushError,
  type PushErrorCode,
  PushServiceError,
  SenderClosedError,
  SubscriptionError,
  type SubscriptionErrorCode,
} from "./errors.ts";
export { createFetchTransport, type FetchFunction } from "./fetch-transport.ts";
export { createNodeTransport, type NodeTransportOptions } from "./node-transport.ts";
export {
  type BuildPushRequestOptions,
  buildPushRequest,
  type PushRequest,
} from "./push-request.ts";
export {
  isGoneStatus,
  isRetryableStatus,
  isSuccessStatus,
  type PushResult,
} from "./push-result.ts";
export { detectPushService, type PushService } from "./push-service.ts";
export type { SendAllRun, SendAllSummary, SendItem } from "./send-all.ts";
export {
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT,
  DEFAULT_TTL,
  isValidTopic,
  type PushEncoding,
  type SendOptions,
  type Urgency,
} from "./send-options.ts";
export { createSender, type SendAllOptions, type Sender, type SenderOptions } from "./sender.ts";
export {
  MAX_SUBSCRIPTION_SIZE,
  type ParseSubscriptionOptions,
  type PushSubscription,
  parseSubscription,
} from "./subscription.ts";
export type { Transport, TransportRequest, TransportResponse } from "./transport.ts";
