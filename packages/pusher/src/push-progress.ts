/**
 * Progress of a bulk send, reported after each answer. `done === sent + gone + failed`.
 *
 * @example
 * ```ts
 * await pusher.notifyAll("hi", { onProgress: (p) => console.log(`${p.done}/${p.total}`) });
 * ```
 */
export interface PushProgress {
  /** Messages answered so far. */
  done: number;
  /**
   * Messages in the whole run, when known beforehand: `notifyAll` counts the store first;
   * `sendNotificationToAll` knows it for arrays (and other collections with a `length` or
   * `size`), not for generators.
   */
  total?: number;
  /** Delivered so far. */
  sent: number;
  /** Gone (404/410) so far, each removed from the store. */
  gone: number;
  /** Failed so far. */
  failed: number;
}
