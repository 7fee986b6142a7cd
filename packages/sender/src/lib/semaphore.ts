// A counting semaphore with a FIFO queue and abortable waits: bounds requests in flight
// overall and per origin, so a burst of sends queues instead of opening sockets without end.

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class Semaphore {
  #free: number;
  readonly #waiters: Waiter[] = [];

  constructor(permits: number) {
    this.#free = permits;
  }

  /** Requests waiting for a permit. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Takes a permit now if one is free. */
  tryAcquire(): boolean {
    if (this.#free > 0 && this.#waiters.length === 0) {
      this.#free--;
      return true;
    }
    return false;
  }

  /** Waits for a permit; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          const i = this.#waiters.indexOf(waiter);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
    });
  }

  /** Returns a permit, handing it straight to the longest waiter. */
  release(): void {
    const next = this.#waiters.shift();
    if (next) {
      if (next.onAbort) next.signal?.removeEventListener("abort", next.onAbort);
      next.resolve();
    } else {
      this.#free++;
    }
  }
}
