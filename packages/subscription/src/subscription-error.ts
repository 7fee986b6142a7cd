import { SwpError } from "./swp-error.ts";

/**
 * Codes of {@link SubscriptionError}: what was wrong with a subscription.
 *
 * | code | when |
 * | --- | --- |
 * | `ERR_SUBSCRIPTION_INVALID` | not an object, `keys` not an object, `expirationTime` not a number or null |
 * | `ERR_SUBSCRIPTION_NOT_JSON` | text that is not JSON |
 * | `ERR_SUBSCRIPTION_TOO_LARGE` | JSON text over {@link MAX_SUBSCRIPTION_SIZE} characters, or an endpoint over 4096 |
 * | `ERR_SUBSCRIPTION_MISSING_FIELD` | no `endpoint`, `keys`, `keys.p256dh` or `keys.auth` |
 * | `ERR_SUBSCRIPTION_INVALID_ENDPOINT` | not an absolute `https:`/`http:` URL, no host, user or password in it; or (from a sender) an `http:` endpoint where only `https:` is allowed |
 * | `ERR_SUBSCRIPTION_INVALID_P256DH` | `keys.p256dh` is not base64url of a 65-byte uncompressed P-256 point |
 * | `ERR_SUBSCRIPTION_INVALID_AUTH` | `keys.auth` is not base64url of 16 bytes |
 */
export type SubscriptionErrorCode =
  | "ERR_SUBSCRIPTION_INVALID"
  | "ERR_SUBSCRIPTION_NOT_JSON"
  | "ERR_SUBSCRIPTION_TOO_LARGE"
  | "ERR_SUBSCRIPTION_MISSING_FIELD"
  | "ERR_SUBSCRIPTION_INVALID_ENDPOINT"
  | "ERR_SUBSCRIPTION_INVALID_P256DH"
  | "ERR_SUBSCRIPTION_INVALID_AUTH";

/**
 * A push subscription (the browser's `PushSubscription.toJSON()`) that cannot be used.
 * `field` names the offending field (`"endpoint"`, `"keys.p256dh"`, …) when there is one.
 * Messages give the kind and size of what was wrong, never a key or the auth secret.
 *
 * @example
 * ```ts
 * try { parseSubscription(req.body) } catch (e) {
 *   if (e instanceof SubscriptionError) res.writeHead(400).end(`${e.code}: ${e.message}`)
 *   else throw e
 * }
 * ```
 */
export class SubscriptionError extends SwpError<SubscriptionErrorCode> {
  /** The field that was wrong, dotted (`"keys.auth"`), or undefined for the whole input. */
  readonly field: string | undefined;

  constructor(
    code: SubscriptionErrorCode,
    message: string,
    options?: { cause?: unknown; field?: string | undefined },
  ) {
    super(code, message, options);
    this.field = options?.field;
  }
}

/**
 * The error for a `p256dh` that is not a 65-byte uncompressed P-256 point, worded as
 * {@link parseSubscription} words it. For code that leaves the curve check to the encryption
 * (a sender) and reports the encryption's refusal as the subscription's fault.
 *
 * @example
 * ```ts
 * if (isSwpError(e) && e.code === "ERR_ECE_INVALID_PUBLIC_KEY") throw invalidP256dhError(65, e)
 * ```
 */
export function invalidP256dhError(length: number, cause?: unknown): SubscriptionError {
  return new SubscriptionError(
    "ERR_SUBSCRIPTION_INVALID_P256DH",
    `subscription keys.p256dh must be a 65-byte uncompressed P-256 point, got ${length} bytes${length === 65 ? " not on the curve" : ""}`,
    { field: "keys.p256dh", cause },
  );
}
