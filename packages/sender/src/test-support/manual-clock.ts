// A clock for tests: time moves only when the test says so, and every sleep is recorded, so
// retries, Retry-After and timeouts are tested without real waits.

import type { Clock } from "../lib/clock.ts";

interface Sleeper {
  until: number;
  resolve: () => void;
}

export class ManualClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];
  /** Every sleep requested, in ms, in order. */
  readonly sleeps: number[] = [];
  randomValue = 0.5;

  constructor(start = Date.UTC(2030, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  random(): number {
    return this.randomValue;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const sleeper: Sleeper = { until: this.#now + ms, resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener(
        "abort",
        () => {
          this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  timeout(ms: number, onTimeout: () => void): () => void {
    const sleeper: Sleeper = { until: this.#now + ms, resolve: onTimeout };
    this.#sleepers.push(sleeper);
    this.timeouts.push(ms);
    return () => {
      this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
    };
  }

  /** Every timeout armed, in ms. */
  readonly timeouts: number[] = [];

  /** Sleeps and timeouts currently pending. */
  get pending(): number {
    return this.#sleepers.length;
  }

  /** Moves time forward, waking every sleeper due by then. */
  advance(ms: number): void {
    this.#now += ms;
    const due = this.#sleepers.filter((s) => s.until <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.until > this.#now);
    for (const s of due) s.resolve();
  }
}

/** A clock that never waits: sleeps resolve at once, timeouts never fire. */
export class InstantClock implements Clock {
  now = () => Date.now();
  random = () => 0.5;
  readonly sleeps: number[] = [];
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  }
  timeout(): () => void {
    return () => {};
  }
}
