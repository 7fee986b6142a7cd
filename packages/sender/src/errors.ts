/**
 * Errors thrown by `@swp/sender`.
 *
 * {@link PushError} extends the shared `SwpError` of `@swp/subscription`, so every error
 * carries a stable string `code` and the marker `isSwpError` recognises in any copy of any
 * `@swp/*` package. An unusable subscription is `@swp/subscription`'s `SubscriptionError`
 * (re-exported here).
 *
 * @module
 */

import { SwpError } from "@swp/subscription";

/** Every code a {@link PushError} can carry. */
export type PushErrorCode =
  | "ERR_PUSH_PAYLOAD_TOO_LARGE"
  | "ERR_PUSH_INVALID_OPTION"
  | "ERR_PUSH_SERVICE"
  | "ERR_PUSH_BLOCKED_ADDRESS"
  | "ERR_PUSH_CLOSED";

/**
 * Base class of every error thrown by `@swp/sender`.
 *
 * `send` and `sendAll` reject only for programmer errors (bad arguments); everything that
 * comes from the network is a `PushResult`, not a `PushError`.
 *
 * @example
 * ```ts
 * if (e instanceof PushError && e.code === "ERR_PUSH_PAYLOAD_TOO_LARGE") shrink(payload)
 * ```
 */
export class PushError extends SwpError<PushErrorCode> {}

/**
 * A payload larger than a single push message can carry (RFC 8291 section 4: one record,
 * a body of at most 4096 bytes), refused before any network I/O.
 *
 * @example
 * ```ts
 * try { await sender.send(sub, big) } catch (e) {
 *   if (e instanceof PayloadTooLargeError) console.log(e.size, e.limit)
 * }
 * ```
 */
export class PayloadTooLargeError extends PushError {
  declare readonly code: "ERR_PUSH_PAYLOAD_TOO_LARGE";
  /** Size of the payload in bytes. */
  readonly size: number;
  /** Largest payload in bytes for the chosen encoding and padding. */
  readonly limit: number;

  constructor(size: number, limit: number, encoding: string) {
    super(
      "ERR_PUSH_PAYLOAD_TOO_LARGE",
      `payload is ${size} bytes; at most ${limit} bytes fit in one ${encoding} push message (4096-byte body)`,
    );
    this.size = size;
    this.limit = limit;
  }
}

/**
 * An option that cannot be honoured (a topic that is not base64url, a negative ttl, an
 * unknown urgency, an extra header that would override a protocol header, …).
 * `option` names it.
 *
 * @example
 * ```ts
 * try { await sender.send(sub, "x", { urgency: "urgent" as never }) } catch (e) {
 *   if (e instanceof InvalidOptionError) console.log(e.option) // "urgency"
 * }
 * ```
 */
export class InvalidOptionError extends PushError {
  declare readonly code: "ERR_PUSH_INVALID_OPTION";
  /** Name of the offending option. */
  readonly option: string;

  constructor(option: string, message: string) {
    super("ERR_PUSH_INVALID_OPTION", message);
    this.option = option;
  }
}

/**
 * A push service's refusal, for callers who prefer exceptions to results: build one from
 * a failed `PushResult` with {@link PushServiceError.fromResult}. The sender itself never
 * throws it.
 *
 * @example
 * ```ts
 * const result = await sender.send(sub, "hi")
 * if (!result.ok) throw PushServiceError.fromResult(result)
 * ```
 */
export class PushServiceError extends PushError {
  declare readonly code: "ERR_PUSH_SERVICE";
  /** HTTP status of the answer, 0 when there was none (network failure, refusal, abort). */
  readonly statusCode: number;
  /** The subscription endpoint that was addressed. */
  readonly endpoint: string;
  /** What the push service said (parsed reason or truncated body), if anything. */
  readonly responseBody: string | undefined;
  /** Seconds the push service asked us to wait (`Retry-After`), if it did. */
  readonly retryAfter: number | undefined;

  constructor(
    message: string,
    o: { statusCode: number; endpoint: string; responseBody?: string; retryAfter?: number },
    options?: { cause?: unknown },
  ) {
    super("ERR_PUSH_SERVICE", message, options);
    this.statusCode = o.statusCode;
    this.endpoint = o.endpoint;
    this.responseBody = o.responseBody;
    this.retryAfter = o.retryAfter;
  }

  /** True for answers worth retrying later: 429 and 5xx. */
  get isRetryable(): boolean {
    return this.statusCode === 429 || this.statusCode >= 500;
  }

  /** True when the subscription no longer exists (404, 410): delete it. */
  get isGone(): boolean {
    return this.statusCode === 404 || this.statusCode === 410;
  }

  /**
   * Turns a failed result into an error (status, endpoint, reason and retry hint copied).
   *
   * @example
   * ```ts
   * if (!result.ok) throw PushServiceError.fromResult(result)
   * ```
   */
  static fromResult(result: {
    statusCode: number;
    endpoint: string;
    reason?: string;
    retryAfter?: number;
  }): PushServiceError {
    const what = result.statusCode === 0 ? "no answer" : `HTTP ${result.statusCode}`;
    return new PushServiceError(
      `push service refused the message (${what})${result.reason ? `: ${result.reason}` : ""}`,
      {
        statusCode: result.statusCode,
        endpoint: result.endpoint,
        ...(result.reason !== undefined ? { responseBody: result.reason } : {}),
        ...(result.retryAfter !== undefined ? { retryAfter: result.retryAfter } : {}),
      },
    );
  }
}

/**
 * An endpoint whose address is loopback, private, link-local, unique-local, unspecified or
 * otherwise not a public unicast address, refused by the SSRF guard before any byte is sent.
 * The sender turns it into a `PushResult` (`ok: false`, `statusCode: 0`, never retried); a
 * custom transport may throw it to get the same treatment.
 *
 * @example
 * ```ts
 * // allow a push service on the local network explicitly:
 * createSender({ vapid, allowHosts: ["push.intranet.example"] })
 * ```
 */
export class BlockedAddressError extends PushError {
  declare readonly code: "ERR_PUSH_BLOCKED_ADDRESS";
  /** The endpoint's host name as written in the URL. */
  readonly host: string;
  /** The address it resolved to (equal to `host` for an IP literal). */
  readonly address: string;
  /** Why the address is refused: `"loopback"`, `"private"`, `"link-local"`, … */
  readonly kind: string;

  constructor(host: string, address: string, kind: string) {
    const via = host === address ? "" : ` (resolved to ${address})`;
    super(
      "ERR_PUSH_BLOCKED_ADDRESS",
      `refused to connect to ${host}${via}: ${kind} address (SSRF guard); list the host in allowHosts to allow it`,
    );
    this.host = host;
    this.address = address;
    this.kind = kind;
  }
}

/**
 * Thrown by `send` and `sendAll` after `close()`.
 *
 * @example
 * ```ts
 * await sender.close()
 * await sender.send(sub, "x") // rejects with SenderClosedError
 * ```
 */
export class SenderClosedError extends PushError {
  declare readonly code: "ERR_PUSH_CLOSED";
  constructor() {
    super("ERR_PUSH_CLOSED", "the sender is closed");
  }
}
