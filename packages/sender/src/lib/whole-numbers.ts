// The sender's count options (concurrency, workers, …): whole numbers, checked at the edge
// with a TypeError that names the option and the value.

/** `value` (or `fallback`), a whole number ≥ 1; throws a TypeError naming `name` otherwise. */
export function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 1) {
    throw new TypeError(`${name} must be a whole number ≥ 1, got ${String(v)}`);
  }
  return v;
}

/** `value` (or `fallback`), a whole number ≥ 0; throws a TypeError naming `name` otherwise. */
export function nonNegativeInteger(
  name: string,
  value: number | undefined,
  fallback: number,
): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new TypeError(`${name} must be a whole number ≥ 0, got ${String(v)}`);
  }
  return v;
}
