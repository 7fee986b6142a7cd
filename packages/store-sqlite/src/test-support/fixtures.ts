import type { PushSubscription } from "@swp/subscription";

// Public test keys from RFC 8291 Appendix A (ua_public, as_public, auth_secret).
const P256DH = [
  "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
] as const;
const AUTH = "BTBZMqHH6r4Tts7J_aSIgg";

/** A valid subscription with a distinct endpoint per `n`. */
export function subscription(n: number | string): PushSubscription {
  return {
    endpoint: `https://push.example.net/wpush/v2/${n}`,
    keys: { p256dh: P256DH[Number(String(n).length) % 2]!, auth: AUTH },
  };
}

/** The Python original's table, exactly as it created it. */
export const PYTHON_SCHEMA =
  "CREATE TABLE subscriptors(session_id VARCHAR(256) NOT NULL PRIMARY KEY, subscription VARCHAR(512) NOT NULL, group_id INT NOT NULL)";
