import type { PushSubscription } from "@swp/subscription";

// Public test keys from RFC 8291 Appendix A (ua_public and as_public; both valid P-256
// points) and its 16-byte auth_secret. Nothing here is a secret.
const P256DH = [
  "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
] as const;
const AUTH = ["BTBZMqHH6r4Tts7J_aSIgg", "AAECAwQFBgcICQoLDA0ODw"] as const;

/**
 * A valid subscription with a distinct endpoint for every `n`, for tests of a store (the
 * conformance suite's own, exported from `@swp/store/conformance` for yours). Keys alternate
 * between two RFC 8291 test keys, so rows differ in keys too; nothing here is a secret.
 *
 * @example
 * ```ts
 * await store.put("session-1", sampleSubscription(1))
 * await store.put("session-2", sampleSubscription("late", Date.UTC(2030, 0, 1)))
 * ```
 */
export function sampleSubscription(
  n: number | string,
  expirationTime?: number | null,
): PushSubscription {
  const k = (typeof n === "number" ? n : n.length) % 2;
  const subscription: PushSubscription = {
    endpoint: `https://push.example.net/wpush/v2/conformance-${n}`,
    keys: { p256dh: P256DH[k]!, auth: AUTH[k]! },
  };
  if (expirationTime !== undefined) subscription.expirationTime = expirationTime;
  return subscription;
}
