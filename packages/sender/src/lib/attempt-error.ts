// Why an attempt ended with no HTTP answer, in a word a program can match and a person can
// read. The word starts every `PushResult.reason` of a failed attempt ("connection-lost: …"),
// so the result says what happened however the transport reported it.

/**
 * The kinds of failure before an answer:
 * - `timeout`: the message's `timeout` ran out (waiting for a permit, a connection, a stream
 *   slot or the answer);
 * - `connection-lost`: the connection closed or broke before the answer;
 * - `stream-reset`: the push service reset the HTTP/2 stream (RST_STREAM) before answering;
 * - `refused-stream`: the service refused the stream unprocessed (REFUSED_STREAM, or a
 *   GOAWAY past it) on every connection tried;
 * - `connect-failed`: no connection could be made (DNS, TCP, TLS);
 * - `network`: any other transport error.
 */
export type FailureKind =
  | "timeout"
  | "connection-lost"
  | "stream-reset"
  | "refused-stream"
  | "connect-failed"
  | "network";

/** A failed attempt: nothing was answered, so sending again is safe. */
export class AttemptError extends Error {
  readonly kind: FailureKind;

  constructor(kind: FailureKind, message: string, options?: { cause?: unknown }) {
    super(`${kind}: ${message}`, options);
    this.kind = kind;
    this.name = "AttemptError";
  }
}

/** Error codes of Node sockets and TLS that mean "could not connect". */
const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_HAS_EXPIRED",
]);

/** Error codes that mean "the connection went away under the request". */
const LOST_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_HTTP2_INVALID_SESSION",
]);

/** Words of an error safe to put in a result (no keys, no payload). */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}

/** Classifies any transport failure; AttemptErrors pass through as they are. */
export function toAttemptError(error: unknown): AttemptError {
  if (error instanceof AttemptError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const kind: FailureKind =
    typeof code === "string" && CONNECT_CODES.has(code)
      ? "connect-failed"
      : typeof code === "string" && LOST_CODES.has(code)
        ? "connection-lost"
        : /socket hang up|other side closed|closed/i.test(describe(error))
          ? "connection-lost"
          : "network";
  return new AttemptError(kind, describe(error), { cause: error });
}
