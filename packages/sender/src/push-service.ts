/**
 * The push service behind an endpoint, as far as its host name tells: Firebase Cloud
 * Messaging (Chrome, Android), Mozilla autopush (Firefox), Apple (Safari), Windows Push
 * Notification Services (Edge), or another (self-hosted, test) service.
 *
 * @example
 * ```ts
 * const service: PushService = detectPushService(subscription.endpoint) // "fcm"
 * ```
 */
export type PushService = "fcm" | "mozilla" | "apple" | "wns" | "other";

/**
 * Tells which push service an endpoint belongs to, from its host name. Used to read the
 * service's error format and to apply service rules (WNS wants `X-WNS-Cache-Policy`).
 *
 * @example
 * ```ts
 * detectPushService("https://fcm.googleapis.com/fcm/send/abc") // "fcm"
 * detectPushService("https://updates.push.services.mozilla.com/wpush/v2/…") // "mozilla"
 * detectPushService("https://web.push.apple.com/QG…") // "apple"
 * detectPushService("https://wns2-par02p.notify.windows.com/w/?token=…") // "wns"
 * ```
 */
export function detectPushService(endpoint: string | URL): PushService {
  let host: string;
  try {
    host = (typeof endpoint === "string" ? new URL(endpoint) : endpoint).hostname.toLowerCase();
  } catch {
    return "other";
  }
  // Chrome uses fcm.googleapis.com; older Android and GCM endpoints use
  // android.googleapis.com / jmt17.google.com-style hosts under googleapis.com.
  if (isUnder(host, "googleapis.com")) return "fcm";
  if (isUnder(host, "push.services.mozilla.com")) return "mozilla";
  if (isUnder(host, "push.apple.com")) return "apple";
  if (isUnder(host, "notify.windows.com")) return "wns";
  return "other";
}

/** `host` is `domain` or a subdomain of it. (A plain function: this runs for every message.) */
function isUnder(host: string, domain: string): boolean {
  return (
    host === domain || (host.endsWith(domain) && host[host.length - domain.length - 1] === ".")
  );
}
