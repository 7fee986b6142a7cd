// Injected clocks (createVapid's and verifyVapid's `now`) are user code: their readings are
// checked before any token is signed or judged with them.

/**
 * `now()` as a finite number of milliseconds, or a RangeError: a NaN clock would sign
 * `"exp": null` (JSON has no NaN), an infinite one a token that never expires.
 */
export function clockReading(reading: unknown, who: string): number {
  if (typeof reading !== "number" || !Number.isFinite(reading)) {
    throw new RangeError(
      `${who}: now() must return a finite number of milliseconds since the epoch, got ${typeof reading === "number" ? String(reading) : typeof reading}`,
    );
  }
  return reading;
}
