/**
 * The counts every call that sends several messages reports (a sender's batch, the facade's
 * `notifyAll`, a distributed broadcast): each message is counted in exactly one of `sent`,
 * `gone` and `failed`, so `sent + gone + failed === total`.
 *
 * @example
 * ```ts
 * const { total, sent, gone, failed }: PushCounts = await pusher.notifyAll("Hello")
 * console.log(`${sent}/${total} delivered, ${gone} gone, ${failed} failed`)
 * ```
 */
export interface PushCounts {
  /** Number of messages with a result (`sent + gone + failed`). */
  total: number;
  /** Messages the push service accepted (HTTP 200, 201 or 202; RFC 8030 section 5). */
  sent: number;
  /** Messages whose subscription no longer exists (HTTP 404 or 410; RFC 8030 section 7.3). */
  gone: number;
  /** Messages that were refused or could not be delivered after the retries. */
  failed: number;
}
