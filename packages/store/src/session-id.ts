import { SessionIdError } from "./errors.ts";

/**
 * Longest accepted session id, in characters (Unicode code points): the `VARCHAR(256)`
 * of the Python original's `subscriptors.session_id` column.
 */
export const MAX_SESSION_ID_LENGTH = 256;

/**
 * Throws {@link SessionIdError} unless `sessionId` is a string of 1 to
 * {@link MAX_SESSION_ID_LENGTH} characters. Every store calls it on every method that
 * takes a session id, so all stores refuse the same ids.
 *
 * @example
 * ```ts
 * async get(sessionId: string) {
 *   assertSessionId(sessionId)
 *   return this.#rows.get(sessionId)
 * }
 * ```
 */
export function assertSessionId(sessionId: unknown): asserts sessionId is string {
  if (typeof sessionId !== "string") {
    const kind = sessionId === null ? "null" : typeof sessionId;
    throw new SessionIdError(`session id must be a string, got ${kind}`);
  }
  if (sessionId.length === 0) {
    throw new SessionIdError("session id must not be empty");
  }
  // Fast path: UTF-16 length bounds the code point count from above.
  if (sessionId.length <= MAX_SESSION_ID_LENGTH) return;
  let codePoints = 0;
  for (const _ of sessionId) codePoints++;
  if (codePoints > MAX_SESSION_ID_LENGTH) {
    throw new SessionIdError(
      `session id is ${codePoints} characters; at most ${MAX_SESSION_ID_LENGTH} are accepted`,
    );
  }
}
