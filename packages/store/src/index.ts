export { type EndpointMove, planEndpointMove } from "./endpoint-move.ts";
export {
  isSwpError,
  SessionIdError,
  StoreError,
  type StoreErrorCode,
} from "./errors.ts";
export {
  assertGroupId,
  DEFAULT_PAGE_SIZE,
  type ResolvedListOptions,
  resolveListOptions,
} from "./list-options.ts";
export { createMemoryStore, type MemoryStoreOptions } from "./memory-store.ts";
export { type ResolvedPut, resolvePut } from "./put-arguments.ts";
export { resolveEndpoint } from "./resolve-endpoint.ts";
export { assertSessionId, MAX_SESSION_ID_LENGTH } from "./session-id.ts";
export type {
  CountOptions,
  ListOptions,
  StoredSubscription,
  SubscriptionStore,
} from "./subscription-store.ts";
