import { SwpError } from "@swp/subscription";

/**
 * Stable codes carried by {@link DeclarativeError}. Match on `code`, never on the message.
 *
 * | code | when |
 * | --- | --- |
 * | `ERR_DECLARATIVE_MISSING_FIELD` | a required member is absent: `web_push` (when parsing), `notification`, `notification.title`, `notification.navigate`, or an action's `action`, `title`, `navigate` |
 * | `ERR_DECLARATIVE_INVALID_TYPE` | a member has the wrong JSON type (a string where a boolean belongs, `"1"` for `app_badge`, …) |
 * | `ERR_DECLARATIVE_INVALID_VALUE` | the type is right but the value is not: `web_push` other than 8030, an empty title, `dir` outside auto/ltr/rtl, a malformed `lang`, a negative or fractional number, `data` that is not JSON |
 * | `ERR_DECLARATIVE_INVALID_URL` | `navigate`, an action's `navigate`, `icon`, `image` or `badge` is not an absolute `https:` URL (or `http:` on a loopback host) |
 * | `ERR_DECLARATIVE_UNKNOWN_FIELD` | a member the specification does not define (a typo such as `url` for `navigate`, or `app_badge` inside `notification`) |
 * | `ERR_DECLARATIVE_CONFLICT` | two members that the Notifications standard refuses together: `silent: true` with `vibrate`, `renotify: true` without a `tag` |
 * | `ERR_DECLARATIVE_TOO_LARGE` | the UTF-8 JSON is longer than 3993 bytes, the most one aes128gcm push message carries |
 * | `ERR_DECLARATIVE_INVALID_JSON` | `parseDeclarativeMessage` got text that is not JSON |
 */
export type DeclarativeErrorCode =
  | "ERR_DECLARATIVE_MISSING_FIELD"
  | "ERR_DECLARATIVE_INVALID_TYPE"
  | "ERR_DECLARATIVE_INVALID_VALUE"
  | "ERR_DECLARATIVE_INVALID_URL"
  | "ERR_DECLARATIVE_UNKNOWN_FIELD"
  | "ERR_DECLARATIVE_CONFLICT"
  | "ERR_DECLARATIVE_TOO_LARGE"
  | "ERR_DECLARATIVE_INVALID_JSON";

/**
 * The one error class of `@swp/declarative`, on the shared `SwpError` base of
 * `@swp/subscription` (bundled at build time: this package installs alone): a declarative push message that a browser would
 * refuse (or that would not fit one push message). `field` is the path of the offending member
 * (`"notification.actions[1].navigate"`); the message names it, what was expected and the kind
 * of value received.
 *
 * @example
 * ```ts
 * try {
 *   serializeDeclarativeMessage({ notification: { title: "Hi", navigate: "/inbox" } });
 * } catch (error) {
 *   if (error instanceof DeclarativeError) console.log(error.code, error.field);
 *   // ERR_DECLARATIVE_INVALID_URL notification.navigate
 * }
 * ```
 */
export class DeclarativeError extends SwpError<DeclarativeErrorCode> {
  /** Path of the offending member, e.g. `"notification.actions[0].title"`; absent for the whole message. */
  readonly field: string | undefined;
  /** `ERR_DECLARATIVE_TOO_LARGE` only: the encoded size in bytes. */
  readonly size: number | undefined;
  /** `ERR_DECLARATIVE_TOO_LARGE` only: the limit in bytes. */
  readonly limit: number | undefined;

  constructor(
    code: DeclarativeErrorCode,
    message: string,
    options?: { field?: string; size?: number; limit?: number; cause?: unknown },
  ) {
    super(code, message, { cause: options?.cause });
    this.field = options?.field;
    this.size = options?.size;
    this.limit = options?.limit;
  }
}
