/**
 * The demo server's one error class: a request it refuses, with the HTTP status to answer.
 *
 * @module
 */

const SWP_ERROR = Symbol.for("swp.error");

/** Stable codes of {@link HttpError}, one per way a request can be refused. */
export type HttpErrorCode =
  | "ERR_DEMO_BAD_JSON"
  | "ERR_DEMO_BAD_REQUEST"
  | "ERR_DEMO_BODY_TOO_LARGE"
  | "ERR_DEMO_UNSUPPORTED_MEDIA_TYPE"
  | "ERR_DEMO_CROSS_SITE"
  | "ERR_DEMO_METHOD_NOT_ALLOWED"
  | "ERR_DEMO_NOT_FOUND"
  | "ERR_DEMO_NO_SUBSCRIPTION";

/**
 * A refused request: `status` is what the client gets, `message` the `error` field of the
 * JSON answer (safe to show: never a key or a secret).
 *
 * @example
 * ```ts
 * throw new HttpError(400, "ERR_DEMO_BAD_JSON", "the body is not valid JSON");
 * ```
 */
export class HttpError extends Error {
  /** Stable, machine-readable identifier of the refusal. */
  readonly code: HttpErrorCode;
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
    super(message, options);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.headers = options?.headers ?? {};
    Object.defineProperty(this, SWP_ERROR, { value: true });
  }
}
