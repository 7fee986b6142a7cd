// The fetch-only entry: `@swp/sender/fetch`, and what "." resolves to under the `workerd`,
// `worker` and `browser` export conditions. Request building and the fetch transport, with
// no node:* module anywhere in the import graph (fetch-entry.test.ts walks the built files):
// createSender and the Node transport (undici, node:http2, worker threads) stay in index.ts.

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
export {
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT,
  DEFAULT_TTL,
  isValidTopic,
  type PushEncoding,
  type SendOptions,
  type Urgency,
} from "./send-options.ts";
export type { Transport, TransportRequest, TransportResponse } from "./transport.ts";
