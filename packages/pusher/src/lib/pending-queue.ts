import type { PushResult } from "@swp/sender";
import { type PushSummary, Tally } from "../summary.ts";

interface Generation {
  readonly pending: Set<Promise<void>>;
  readonly tally: Tally;
}

function newGeneration(): Generation {
  return { pending: new Set(), tally: new Tally() };
}

/**
 * The bookkeeping behind `{ nonblocking: true }` and `wait()`.
 *
 * Each queued call is folded into the current generation's tally the moment it settles:
 * handlers are attached when the call is queued, so a rejection is recorded (never
 * unhandled) even if `wait()` is never called. `wait()` closes the current generation and
 * resolves with its summary once every call in it has settled; calls queued meanwhile belong
 * to the next generation. Nothing is kept per call beyond its result (or only its counts with
 * `collect: false`), so memory stays bounded by what the caller asked to keep.
 */
export class PendingQueue {
  #current: Generation = newGeneration();
  /** Generations a `wait()` has closed but that still have calls in flight. */
  #closing = new Set<Generation>();

  /** Number of queued calls not yet settled, in every generation. */
  get size(): number {
    let n = this.#current.pending.size;
    for (const g of this.#closing) n += g.pending.size;
    return n;
  }

  /**
   * Records `work`, a call already under way; `collect: false` keeps only its counts.
   * Never throws, and never lets `work` reject unhandled.
   */
  add(work: Promise<PushResult | PushSummary>, collect = true): void {
    const { pending, tally } = this.#current;
    const settled: Promise<void> = work
      .then(
        (value) => {
          if ("total" in value) tally.addSummary(value, collect);
          else tally.addResult(value, collect);
        },
        (error: unknown) => tally.addError(error),
      )
      // Neither handler above can throw (they only count and push), so this cannot reject.
      .then(() => {
        pending.delete(settled);
      });
    pending.add(settled);
  }

  /**
   * Resolves with the summary of every call added since the previous `wait()`, once all of
   * them have settled. Never rejects: failed calls are in the summary's `errors`.
   */
  async wait(): Promise<PushSummary> {
    const generation = this.#current;
    this.#current = newGeneration();
    this.#closing.add(generation);
    await Promise.all(generation.pending);
    this.#closing.delete(generation);
    return generation.tally.summary;
  }

  /** Resolves once every call added so far has settled, without taking the results. */
  async settled(): Promise<void> {
    const all = [...this.#current.pending];
    for (const g of this.#closing) all.push(...g.pending);
    await Promise.all(all);
  }
}
