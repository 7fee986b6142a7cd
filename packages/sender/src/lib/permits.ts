// Who may send now. Each push-service origin has its own share (per-origin permits) and its
// own pause (a 429's Retry-After); the global limit bounds only requests being written. A
// request waiting for its answer holds its origin's permit but no global slot, so a stalled
// origin holds at most its own share and every other origin keeps flowing (issue 15).

import type { Clock } from "./clock.ts";
import { Semaphore } from "./semaphore.ts";

/**
 * A request's permits: the origin's (held until the answer) and a global slot (held while
 * the request is written). Both are given back by {@link Permit.release}.
 */
export interface Permit {
  /** The request is on the wire: give the global slot back early. Idempotent. */
  sent(): void;
  /** The attempt is over: give back what is still held. Idempotent. */
  release(): void;
}

interface Lane {
  semaphore: Semaphore;
  /** Requests holding or waiting for this origin's permit (the lane is dropped at 0). */
  users: number;
}

/**
 * The sender's permits: a global limit on requests being written, and per origin a share
 * of requests in flight and a pause (a 429's Retry-After). One per sender.
 *
 * @example
 * ```ts
 * const permits = new Permits(64, 32, systemClock)
 * const permit = await permits.acquire(origin, signal)
 * try { await transport.request({ ...req, onSent: () => permit.sent() }) } finally { permit.release() }
 * ```
 */
export class Permits {
  readonly #global: Semaphore;
  readonly #perOrigin: number;
  readonly #clock: Clock;
  readonly #lanes = new Map<string, Lane>();
  /**
   * Epoch ms before which an origin asked not to be sent to (429 Retry-After). Kept apart
   * from the lanes: a pause outlives the lane's last user.
   */
  readonly #pauses = new Map<string, number>();

  constructor(global: number, perOrigin: number, clock: Clock) {
    this.#global = new Semaphore(global);
    this.#perOrigin = perOrigin;
    this.#clock = clock;
  }

  /**
   * Milliseconds until `origin` may be sent to again after a 429, 0 when it may now.
   */
  pausedFor(origin: string): number {
    const until = this.#pauses.get(origin);
    if (until === undefined) return 0;
    const left = until - this.#clock.now();
    if (left <= 0) {
      this.#pauses.delete(origin);
      return 0;
    }
    return left;
  }

  #pauseUntil(origin: string): number {
    return this.#pauses.get(origin) ?? 0;
  }

  /** Holds every later request to `origin` until `until` (epoch ms): its 429's Retry-After. */
  pause(origin: string, until: number): void {
    if (until > (this.#pauses.get(origin) ?? 0)) this.#pauses.set(origin, until);
  }

  /**
   * Takes the origin's permit, then a global slot: at once when both are free (no promise,
   * no microtask: the usual case, on every attempt), else a promise that waits, first for
   * the origin's pause to end. Rejects with the signal's reason when it aborts first.
   * `waitedUntil`: the epoch ms the caller already waited for (a message that got the 429
   * and slept its Retry-After is not held by the pause it set).
   */
  acquire(
    origin: string,
    signal: AbortSignal | undefined,
    waitedUntil = 0,
  ): Permit | Promise<Permit> {
    let lane = this.#lanes.get(origin);
    if (!lane) {
      lane = { semaphore: new Semaphore(this.#perOrigin), users: 0 };
      this.#lanes.set(origin, lane);
    }
    lane.users++;
    const l = lane;
    const leave = () => {
      if (--l.users === 0) this.#lanes.delete(origin);
    };
    const paused = this.#pauseUntil(origin) > waitedUntil ? this.pausedFor(origin) : 0;
    // Origin first: a slow or paused origin must not hold global slots while it queues.
    if (paused === 0 && l.semaphore.tryAcquire()) {
      if (this.#global.tryAcquire()) return this.#permit(l, leave);
      return this.#takeGlobal(l, leave, signal);
    }
    return (async () => {
      try {
        // Sleep to the pause's end; again only if a later 429 moved the end meanwhile.
        let until = this.#pauseUntil(origin);
        let wait = paused;
        while (wait > 0) {
          await this.#clock.sleep(wait, signal);
          const next = this.#pauseUntil(origin);
          if (next <= until) break;
          until = next;
          wait = this.pausedFor(origin);
        }
        await l.semaphore.acquire(signal);
      } catch (error) {
        leave();
        throw error;
      }
      return this.#takeGlobal(l, leave, signal);
    })();
  }

  async #takeGlobal(lane: Lane, leave: () => void, signal: AbortSignal | undefined) {
    try {
      await this.#global.acquire(signal);
    } catch (error) {
      lane.semaphore.release();
      leave();
      throw error;
    }
    return this.#permit(lane, leave);
  }

  #permit(lane: Lane, leave: () => void): Permit {
    let global = true;
    let origin = true;
    const global_ = this.#global;
    return {
      sent() {
        if (!global) return;
        global = false;
        global_.release();
      },
      release() {
        if (global) {
          global = false;
          global_.release();
        }
        if (origin) {
          origin = false;
          lane.semaphore.release();
          leave();
        }
      },
    };
  }
}
