import { type PushSubscription, parseSubscription } from "@swp/subscription";

/**
 * The endpoint that `findSessionId` and `removeByEndpoint` look up, for store implementers,
 * in the canonical form stores keep (`parseSubscription`'s: the URL as the WHATWG URL parser
 * writes it, so `HTTPS://Push.Example.net:443/a` finds `https://push.example.net/a`). A
 * string starting with `{` is a subscription's JSON text and is parsed; any other string is
 * the endpoint itself (kept as it is when it is not a URL: it then matches nothing); an
 * object gives its `endpoint` (parsed with `parseSubscription` when it has no string
 * endpoint, so the caller gets its `SubscriptionError`).
 *
 * @example
 * ```ts
 * async findSessionId(endpointOrSubscription) {
 *   return this.#byEndpoint.get(resolveEndpoint(endpointOrSubscription))
 * }
 * ```
 */
export function resolveEndpoint(endpointOrSubscription: string | PushSubscription): string {
  if (typeof endpointOrSubscription === "string") {
    return endpointOrSubscription.trimStart().startsWith("{")
      ? parseSubscription(endpointOrSubscription).endpoint
      : canonicalEndpoint(endpointOrSubscription);
  }
  const endpoint = (endpointOrSubscription as { endpoint?: unknown } | null)?.endpoint;
  return typeof endpoint === "string"
    ? canonicalEndpoint(endpoint)
    : parseSubscription(endpointOrSubscription).endpoint;
}

/** `new URL(endpoint).href`, as `parseSubscription` stores it; a non-URL as it is. */
function canonicalEndpoint(endpoint: string): string {
  try {
    return new URL(endpoint).href;
  } catch {
    return endpoint;
  }
}
