export {
  InvalidOptionError,
  isSwpError,
  PayloadTooLargeError,
  PushError,
  type PushErrorCode,
  PushServiceError,
  SubscriptionError,
  type SubscriptionErrorCode,
} from "./errors.ts";
export {
  MAX_SUBSCRIPTION_SIZE,
  type ParseSubscriptionOptions,
  type PushSubscription,
  parseSubscription,
} from "./subscription.ts";
