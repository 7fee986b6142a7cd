export { sampleSubscription } from "../lib/sample-subscriptions.ts";
export {
  type ConformanceContext,
  type ConformanceMatchers,
  type ConformanceOptions,
  type ConformanceTestApi,
  describeSubscriptionStore,
} from "./describe-subscription-store.ts";
