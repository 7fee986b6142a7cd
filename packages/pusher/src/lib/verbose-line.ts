import type { PushResult } from "@swp/sender";

/** Longest reason quoted in a verbose line; push services can answer with whole HTML pages. */
const MAX_REASON = 160;

/**
 * The origin of an endpoint, the only part of it a log line may show: the path of a push
 * endpoint is a capability (whoever knows it can push to that browser).
 */
export function endpointOrigin(endpoint: string): string {
  try {
    const origin = new URL(endpoint).origin;
    return origin === "null" ? "(invalid endpoint)" : origin;
  } catch {
    return "(invalid endpoint)";
  }
}

/**
 * One line for one push-service answer, for verbose mode: status, endpoint origin, outcome
 * and reason, e.g. `[swp] 410 https://fcm.googleapis.com gone: NotRegistered`. Never a key,
 * an auth secret or an endpoint path: the reason is cut to one short line, and any copy of
 * the endpoint in it is replaced by its origin.
 */
export function verboseLine(result: PushResult, note?: string): string {
  const origin = endpointOrigin(result.endpoint);
  const status = result.statusCode === 0 ? "---" : String(result.statusCode);
  const outcome = result.ok ? "sent" : result.gone ? "gone" : "failed";
  let line = `[swp] ${status} ${origin} ${outcome}`;
  if (result.reason) {
    let reason = result.reason;
    if (result.endpoint) reason = reason.split(result.endpoint).join(origin);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip.
    reason = reason.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
    if (reason.length > MAX_REASON) reason = `${reason.slice(0, MAX_REASON - 1)}…`;
    if (reason) line += `: ${reason}`;
  }
  if (result.attempts > 1) line += ` (${result.attempts} attempts)`;
  if (note) line += ` (${note})`;
  return line;
}
