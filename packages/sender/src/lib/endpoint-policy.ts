import { type PushTarget, SubscriptionError, toPushTarget } from "@swp/subscription";

/**
 * The sender's one look at a subscription before a message: its parts (no parsing at all for
 * a value of `parseSubscription`) and the sender's transport rule on the scheme. Stores and
 * the parser accept `http:`; only here, at send time, is it refused unless `allowHttp`.
 * The other transport rules apply where the address is known: the SSRF guard and
 * `allowHosts` in `HostPolicy` (IP literals before sending, names at connect time).
 */
export function resolvePushTarget(subscription: string | object, allowHttp: boolean): PushTarget {
  const target = toPushTarget(subscription);
  if (target.url.protocol !== "https:" && !(allowHttp && target.url.protocol === "http:")) {
    throw new SubscriptionError(
      "ERR_SUBSCRIPTION_INVALID_ENDPOINT",
      `subscription endpoint must be an https: URL, got ${target.url.protocol} (allow http: with the sender's allowHttp option)`,
      { field: "endpoint" },
    );
  }
  return target;
}
