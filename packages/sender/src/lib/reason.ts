// Pulls a short, human-readable reason out of a push service's refusal. Each service has its
// own shape: Apple answers {"reason":"BadDeviceToken"}, Mozilla autopush
// {"code":410,"errno":106,"error":"Gone","message":"…"}, WNS puts it in X-WNS-* headers,
// FCM and others send text or JSON bodies.

import type { PushService } from "../push-service.ts";

/** Longest reason kept: bodies can be whole HTML error pages. */
export const MAX_REASON_LENGTH = 200;

function truncate(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > MAX_REASON_LENGTH ? `${t.slice(0, MAX_REASON_LENGTH - 1)}…` : t;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const decoder = new TextDecoder();

/** The reason for an answer, or undefined when there is nothing to say. */
export function parseReason(
  service: PushService,
  headers: Readonly<Record<string, string>>,
  body: Uint8Array,
): string | undefined {
  if (service === "wns") {
    const description = headers["x-wns-error-description"];
    const status = headers["x-wns-status"] ?? headers["x-wns-notificationstatus"];
    const parts = [status, description].filter((p): p is string => !!p);
    if (parts.length > 0) return truncate(parts.join(": "));
  }
  const text = decoder.decode(body.subarray(0, 4096)).trim();
  if (text === "") return undefined;
  const json = parseJson(text);
  if (json) {
    if (typeof json.reason === "string") return truncate(json.reason); // Apple
    if (json.errno !== undefined) {
      // Mozilla autopush; errno numbers are listed in autopush's docs (e.g. 106 = gone).
      const message = typeof json.message === "string" ? json.message : json.error;
      return truncate(`errno ${String(json.errno)}${message ? `: ${String(message)}` : ""}`);
    }
    const err = json.error;
    if (typeof err === "object" && err !== null) {
      // Google-style {"error":{"code":400,"message":"…","status":"INVALID_ARGUMENT"}}
      const e = err as Record<string, unknown>;
      if (typeof e.message === "string") return truncate(e.message);
    }
    if (typeof json.message === "string") return truncate(json.message);
    if (typeof err === "string") return truncate(err);
  }
  return truncate(text);
}
