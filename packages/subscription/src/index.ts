/**
 * `@swp/subscription`: the vocabulary every `@swp/*` package shares. Push subscriptions and
 * their parser, the error base with its cross-copy check, the base64url codec and the counts
 * of a multi-message send. No dependencies, no `node:*` import: it runs on every runtime.
 *
 * @module
 */

export {
  base64Decode,
  base64Encode,
  base64urlDecode,
  base64urlEncode,
} from "./base64url.ts";
export { EncodingError } from "./encoding-error.ts";
export { isP256Point } from "./p256.ts";
export {
  isCanonicalSubscription,
  MAX_SUBSCRIPTION_SIZE,
  type ParseSubscriptionOptions,
  parseSubscription,
  toPushTarget,
} from "./parse-subscription.ts";
export type { CanonicalSubscription, PushSubscription, PushTarget } from "./push-subscription.ts";
export type { PushCounts } from "./push-summary.ts";
export {
  invalidP256dhError,
  SubscriptionError,
  type SubscriptionErrorCode,
} from "./subscription-error.ts";
export { isSwpError, SwpError } from "./swp-error.ts";
