import { type PushSubscription, parseSubscription } from "@swp/sender";

/**
 * The endpoint that `findSessionId` looks up, for store implementers: a string starting
 * with `{` is a subscription's JSON text and is parsed; any other string is the endpoint
 * itself; an object gives its `endpoint` (parsed with `parseSubscription` when it has no
 * string endpoint, so the caller gets its `SubscriptionError`).
 *
 * @example
 * ```ts
 * async findSessionId(endpointOrSubscription) {
 *   return this.#byEndpoint.get(resolveEndpoint(endpointOrSubscription))
 * }
 * ```
 */
export function resolveEndpoint(
  endpointOrSubscription: string | PushSubscription,
  options: { allowHttp?: boolean } = {},
): string {
  if (typeof endpointOrSubscription === "string") {
    return endpointOrSubscription.trimStart().startsWith("{")
      ? parseSubscription(endpointOrSubscription, options).endpoint
      : endpointOrSubscription;
  }
  const endpoint = (endpointOrSubscription as { endpoint?: unknown } | null)?.endpoint;
  return typeof endpoint === "string"
    ? endpoint
    : parseSubscription(endpointOrSubscription, options).endpoint;
}
