import type { PushSubscription } from "@swp/sender";

// Public test keys from RFC 8291 Appendix A (ua_public and as_public; both valid P-256
// points) and its 16-byte auth_secret. Nothing here is a secret.
const P256DH = [
  "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
] as const;
const AUTH = ["BTBZMqHH6r4Tts7J_aSIgg", "AAECAwQFBgcICQoLDA0ODw"] as const;

/**
 * A valid subscription with a distinct endpoint for every `n` (keys alternate between
 * two RFC 8291 test keys, so rows differ in keys too).
 */
export function sampleSubscription(n: number, expirationTime?: number | null): PushSubscription {
  const subscription: PushSubscription = {
    endpoint: `https://push.example.net/wpush/v2/conformance-${n}`,
    keys: { p256dh: P256DH[n % 2]!, auth: AUTH[n % 2]! },
  };
  if (expirationTime !== undefined) subscription.expirationTime = expirationTime;
  return subscription;
}
