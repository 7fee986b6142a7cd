// The one abort of a message: its deadline (the `timeout`, counted from the moment the
// message started) and the callers' signals (the send's own, a batch's), folded into a single
// AbortSignal that every wait of the message listens to: the origin's pause, the permits,
// the connection, the stream slot, the answer and the backoff between attempts. So a message
// never outlives its timeout, whatever it is waiting for.

import type { Clock } from "./clock.ts";

/** The reason of a message signal aborted by its deadline. */
export class DeadlineError extends Error {
  readonly timeout: number;
  constructor(timeout: number) {
    super(`timeout: no result within the message's ${timeout} ms`);
    this.name = "DeadlineError";
    this.timeout = timeout;
  }
}

/**
 * The messages listening to each caller signal. A batch's signal is shared by every one of
 * its messages: one listener that fans out, instead of one per message (EventTarget
 * listeners cost microseconds each, which shows at thousands of messages per second).
 */
const listening = new WeakMap<AbortSignal, Set<AbortController>>();

function follow(signal: AbortSignal, controller: AbortController): () => void {
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => {};
  }
  let set = listening.get(signal);
  if (!set) {
    const fresh = new Set<AbortController>();
    set = fresh;
    listening.set(signal, fresh);
    signal.addEventListener(
      "abort",
      () => {
        for (const c of fresh) c.abort(signal.reason);
        fresh.clear();
      },
      { once: true },
    );
  }
  set.add(controller);
  const s = set;
  return () => s.delete(controller);
}

/** A message's abort: deadline plus callers' signals. Call `dispose()` when it has its result. */
export class MessageSignal {
  readonly #controller = new AbortController();
  /** The controller's signal, read once (its getter shows in profiles). */
  readonly #signal = this.#controller.signal;
  readonly #unfollow: Array<() => void> = [];
  readonly #cancelTimer: () => void;
  readonly #deadline: number;
  readonly #clock: Clock;

  /**
   * @param timeout the message's `timeout` in ms
   * @param startedAt epoch ms the message started (a batch item: when it was read)
   */
  constructor(
    clock: Clock,
    timeout: number,
    startedAt: number,
    a: AbortSignal | undefined,
    b: AbortSignal | undefined,
  ) {
    this.#clock = clock;
    this.#deadline = startedAt + timeout;
    if (a) this.#unfollow.push(follow(a, this.#controller));
    if (b) this.#unfollow.push(follow(b, this.#controller));
    const left = this.#deadline - clock.now();
    const controller = this.#controller;
    if (left <= 0) {
      controller.abort(new DeadlineError(timeout));
      this.#cancelTimer = () => {};
    } else {
      this.#cancelTimer = clock.timeout(left, () => controller.abort(new DeadlineError(timeout)));
    }
  }

  get signal(): AbortSignal {
    return this.#signal;
  }

  /** True once aborted, by the deadline or a caller. */
  get aborted(): boolean {
    return this.#signal.aborted;
  }

  /** True when the deadline (not a caller) ended the message. */
  get timedOut(): boolean {
    return this.#signal.reason instanceof DeadlineError;
  }

  /** Milliseconds left before the deadline (≤ 0 once past). */
  remaining(): number {
    return this.#deadline - this.#clock.now();
  }

  dispose(): void {
    this.#cancelTimer();
    for (const off of this.#unfollow) off();
  }
}
