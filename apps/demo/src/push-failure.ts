/**
 * What the demo tells a client about a push that failed, and what it keeps for its log.
 *
 * @module
 */

import type { DemoPushResult } from "./demo-pusher.ts";
import { oneLine } from "./lib/one-line.ts";

/** A failed push, told twice: to the client that asked, and to the server's log. */
export interface PushFailure {
  /** Safe for any client: what went wrong, never an address, a resolver error or a secret. */
  client: string;
  /** One line for the server's log, with the sender's own words. */
  log: string;
}

/** Longest push-service reason passed on to a client, in characters. */
const MAX_SERVICE_REASON = 200;

/**
 * Describes a failed push. When the push service answered (a status from 400 on), the
 * client gets the status and the service's own reason: that is what the service said about
 * the message, as the codelab's companion passed it on. When it did not answer (status 0),
 * the sender's reason names the network's view of the endpoint (`resolved to 127.0.0.1`,
 * `getaddrinfo ENOTFOUND`, `connect ECONNREFUSED 10.0.0.3:443`): handing that to anyone who
 * can post a subscription would make the demo a probe of the server's network, so the
 * client gets a category and the details stay in the log.
 *
 * @example
 * ```ts
 * const failure = describePushFailure(result);
 * log(`demo: ${failure.log}`);
 * sendJson(res, 502, { error: failure.client });
 * ```
 */
export function describePushFailure(result: DemoPushResult): PushFailure {
  const reason = oneLine(result.reason ?? "");
  const where = originOf(result.endpoint ?? "");
  const log = `push to ${where} failed: ${result.statusCode === 0 ? "no answer" : `HTTP ${result.statusCode}`}${reason ? `: ${reason}` : ""}`;
  if (result.statusCode !== 0) {
    const said = reason.slice(0, MAX_SERVICE_REASON);
    return {
      client: `the push service answered ${result.statusCode}${said ? `: ${said}` : ""}`,
      log,
    };
  }
  return { client: categorize(reason), log };
}

function categorize(reason: string): string {
  if (/SSRF guard|refused to connect/i.test(reason)) {
    return "the push service's address is not allowed: it is not a public address";
  }
  if (reason === "aborted") return "the send was cancelled";
  if (/timed? ?out|timeout|ETIMEDOUT/i.test(reason)) {
    return "the push service did not answer in time";
  }
  return "the push service could not be reached";
}

/** The endpoint's origin only: its path is the subscription's capability, kept out of logs. */
function originOf(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return "an invalid endpoint";
  }
}
