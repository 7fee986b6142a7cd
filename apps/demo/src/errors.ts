/**
 * The demo server's one error class: a request it refuses, with the HTTP status to answer.
 *
 * @module
 */

import { SwpError } from "@swp/subscription";

/** Stable codes of {@link HttpError}, one per way a request can be refused. */
export type HttpErrorCode =
  | "ERR_DEMO_BAD_JSON"
  | "ERR_DEMO_BAD_REQUEST"
  | "ERR_DEMO_BODY_TOO_LARGE"
  | "ERR_DEMO_UNSUPPORTED_MEDIA_TYPE"
  | "ERR_DEMO_CROSS_SITE"
  | "ERR_DEMO_METHOD_NOT_ALLOWED"
  | "ERR_DEMO_NOT_FOUND"
  | "ERR_DEMO_NO_SUBSCRIPTION"
  | "ERR_DEMO_ENDPOINT_TAKEN"
  | "ERR_DEMO_CLIENT_ABORTED"
  | "ERR_DEMO_INTERNAL";

/**
 * A refused request: `status` is what the client gets, `message` the `error` field of the
 * JSON answer (safe to show: never a key or a secret).
 *
 * @example
 * ```ts
 * throw new HttpError(400, "ERR_DEMO_BAD_JSON", "the body is not valid JSON");
 * ```
 */
export class HttpError extends SwpError<HttpErrorCode> {
  /** HTTP status code of the answer. */
  readonly status: number;
  /** Extra response headers (e.g. `Allow` for 405). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: HttpErrorCode,
    message: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(code, message, { cause: options?.cause });
    this.status = status;
    this.headers = options?.headers ?? {};
  }
}
