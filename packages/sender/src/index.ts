// The shared vocabulary, re-exported for code that imported it from @swp/sender.
export {
  type CanonicalSubscription,
  isSwpError,
  MAX_SUBSCRIPTION_SIZE,
  type ParseSubscriptionOptions,
  type PushSubscription,
  parseSubscription,
  SubscriptionError,
  type SubscriptionErrorCode,
  SwpError,
} from "@swp/subscription";
export {
  BlockedAddressError,
  InvalidOptionError,
  PayloadTooLargeError,
  PushError,
  type PushErrorCode,
  PushServiceError,
  SenderClosedError,
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
export type { Transport, TransportRequest, TransportResponse } from "./transport.ts";
