/**
 * What the `swp` exit status means. 1 to 63 count the messages that were not delivered
 * (63 means 63 or more); the rest follow BSD's sysexits.h, so shells and supervisors can
 * tell a usage mistake from a broken configuration from a failed delivery.
 */
export const ExitCode = {
  /** Everything worked: every message was delivered. */
  OK: 0,
  /** The largest failure count an exit status carries (63 or more messages failed). */
  MAX_FAILURES: 63,
  /** Bad arguments: unknown command or option, missing or malformed value. */
  USAGE: 64,
  /** Bad input data: a subscription that is not a valid push subscription. */
  DATA: 65,
  /** An input file that does not exist or cannot be read. */
  NO_INPUT: 66,
  /** An unexpected failure (a bug): please report it. */
  SOFTWARE: 70,
  /** A key file or database that cannot be read or written. */
  IO: 74,
  /** Missing or invalid configuration, such as no VAPID subject. */
  CONFIG: 78,
} as const;

/** The exit status for `failures` undelivered messages: 0, or 1 to 63 (capped). */
export function failureExitCode(failures: number): number {
  return Math.min(Math.max(0, failures), ExitCode.MAX_FAILURES);
}
