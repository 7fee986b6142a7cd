import { SwpError } from "./swp-error.ts";

/**
 * Text that is not the base64url (or base64) its caller expects, or a codec argument of the
 * wrong type. Thrown by `base64urlDecode` and friends, and so by every `@swp/*` package
 * that decodes with them; a package that decodes a named field (a subscription key, a VAPID
 * key) throws its own error naming the field instead, with this one as `cause`.
 *
 * @example
 * ```ts
 * try { base64urlDecode(text) } catch (e) {
 *   if (e instanceof EncodingError) console.log(e.code) // "ERR_ENCODING"
 * }
 * ```
 */
export class EncodingError extends SwpError<"ERR_ENCODING"> {
  constructor(message: string) {
    super("ERR_ENCODING", message);
  }
}
