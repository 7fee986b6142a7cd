import type { ListOptions } from "./subscription-store.ts";

/** Rows a store reads per page when `list()` is given no `pageSize`. */
export const DEFAULT_PAGE_SIZE = 500;

/**
 * `list()` options checked and resolved, for store implementers: `except` read into a
 * set (once), `pageSize` defaulted.
 *
 * @example
 * ```ts
 * const { groupId, except, pageSize } = resolveListOptions(options)
 * ```
 */
export interface ResolvedListOptions {
  /** The group to list, or undefined for every group. */
  groupId: number | undefined;
  /** The session ids to skip, or undefined when none were given. */
  except: ReadonlySet<string> | undefined;
  /** Rows per page (a positive integer). */
  pageSize: number;
}

/**
 * Throws a `TypeError` unless `groupId` is a safe integer (the original's `INT` column;
 * negative groups are allowed).
 *
 * @example
 * ```ts
 * async put(sessionId, subscription, groupId = 0) { assertGroupId(groupId); … }
 * ```
 */
export function assertGroupId(groupId: unknown): asserts groupId is number {
  if (!Number.isSafeInteger(groupId)) {
    const kind = typeof groupId === "number" ? String(groupId) : typeof groupId;
    throw new TypeError(`group id must be a safe integer, got ${kind}`);
  }
}

/**
 * Checks and resolves {@link ListOptions} for a store's `list()`: a `TypeError` for a
 * group id that is not an integer or an `except` that is not iterable, a `RangeError`
 * for a `pageSize` that is not a positive integer.
 *
 * @example
 * ```ts
 * list(options?: ListOptions) {
 *   const resolved = resolveListOptions(options) // throws at the call, not at iteration
 *   return this.#pages(resolved)
 * }
 * ```
 */
export function resolveListOptions(options: ListOptions = {}): ResolvedListOptions {
  const { groupId, except, pageSize = DEFAULT_PAGE_SIZE } = options;
  if (groupId !== undefined) assertGroupId(groupId);
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`pageSize must be a positive integer, got ${String(pageSize)}`);
  }
  let exceptSet: Set<string> | undefined;
  if (except !== undefined && except !== null) {
    if (typeof (except as Iterable<string>)[Symbol.iterator] !== "function") {
      throw new TypeError(`except must be an iterable of session ids, got ${typeof except}`);
    }
    exceptSet = new Set(except);
    if (exceptSet.size === 0) exceptSet = undefined;
  }
  return { groupId, except: exceptSet, pageSize };
}
