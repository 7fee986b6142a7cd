// The one marker every @swp error carries. Symbol.for puts it in the runtime's global
// registry, so two copies of this package (a duplicate install, or the copy that @swp/ece and
// @swp/vapid bundle) mark their errors with the same symbol.
const SWP_ERROR: unique symbol = Symbol.for("swp.error") as never;

/**
 * True when `error` comes from any `@swp/*` package, from any copy of it: it carries the
 * `Symbol.for("swp.error")` marker and a string `code`. Prefer it (or `instanceof SwpError`,
 * which runs the same check) to `instanceof` on a subclass when two copies may be installed.
 *
 * @example
 * ```ts
 * try {
 *   parseSubscription(body);
 * } catch (error) {
 *   if (isSwpError(error)) console.warn(error.code, error.message);
 *   else throw error;
 * }
 * ```
 */
export function isSwpError(error: unknown): error is SwpError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { [SWP_ERROR]?: unknown })[SWP_ERROR] === true &&
    typeof (error as { code?: unknown }).code === "string"
  );
}

/**
 * The base class of every error an `@swp/*` package throws (`SubscriptionError`, `EceError`,
 * `VapidError`, `PushError`, `StoreError`, …): a stable, machine-readable `code`, the
 * underlying `cause` when there is one, and the shared marker.
 *
 * `error instanceof SwpError` is true for errors of any copy of any `@swp/*` package (it checks
 * the marker, like {@link isSwpError}); `instanceof` on a subclass is the ordinary prototype
 * check.
 *
 * @example
 * ```ts
 * class MyStoreError extends SwpError<"ERR_MY_STORE_FULL" | "ERR_MY_STORE_DOWN"> {}
 * throw new MyStoreError("ERR_MY_STORE_DOWN", "the store is down", { cause })
 * ```
 */
export class SwpError<Code extends string = string> extends Error {
  /** Stable, machine-readable identifier of the failure; match on it, never on the message. */
  readonly code: Code;
  declare readonly [SWP_ERROR]: true;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    // Only pass `cause` on when there is one, so `"cause" in error` stays meaningful.
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, SWP_ERROR, { value: true });
  }

  /**
   * `x instanceof SwpError` holds for an error of any copy of the package (the marker), so
   * duplicate installs and bundled copies agree; for subclasses (`instanceof EceError`) the
   * usual prototype-chain check applies.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // `this` is whichever class `instanceof` was asked about: SwpError or a subclass.
    // biome-ignore lint/complexity/noThisInStatic: the subclass, not SwpError, is meant
    if (this === SwpError) return isSwpError(value);
    // biome-ignore lint/complexity/noThisInStatic: the subclass, not SwpError, is meant
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}
