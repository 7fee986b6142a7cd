import { setMaxListeners } from "node:events";
import type { PushResult } from "./push-result.ts";
import type { SendOptions } from "./send-options.ts";
import type { PushSubscription } from "./subscription.ts";

/**
 * One message of a batch for `sendAll`.
 *
 * @example
 * ```ts
 * const item: SendItem = { subscription, payload: "hi", options: { ttl: 60 }, id: sessionId }
 * ```
 */
export interface SendItem {
  subscription: PushSubscription | string | object;
  payload: Uint8Array | string;
  /** Per-item options, over the batch's and the sender's. */
  options?: SendOptions;
  /** Anything; echoed back as `PushResult.id` so results can be matched to items. */
  id?: unknown;
}

/**
 * Totals of a `sendAll` run.
 *
 * @example
 * ```ts
 * const { total, sent, gone, failed } = await sender.sendAll(items).summary
 * ```
 */
export interface SendAllSummary {
  /** Items read from the input (each got exactly one result). */
  total: number;
  /** Results with `ok: true`. */
  sent: number;
  /** Results with `gone: true`. */
  gone: number;
  /** Other results (rejected, failed, aborted, invalid items). */
  failed: number;
}

/**
 * A running `sendAll`: an async iterable of one {@link PushResult} per item, in completion
 * order, plus the final {@link SendAllSummary}. Iterate it once. To only wait for the
 * totals, `await run.summary` without iterating (the results are then counted and
 * dropped). Breaking out of the loop stops reading items and cancels those in flight.
 *
 * @example
 * ```ts
 * const run = sender.sendAll(items)
 * for await (const result of run) if (result.gone) await store.removeByEndpoint(result.endpoint)
 * console.log(await run.summary)
 * ```
 */
export interface SendAllRun extends AsyncIterable<PushResult> {
  readonly summary: Promise<SendAllSummary>;
}

export interface SendAllRunOptions {
  /**
   * Items held at once (in flight plus finished but not yet yielded). Read before each
   * item is pulled, so a getter may widen it mid-run (the sender does once it encrypts on
   * worker threads).
   */
  readonly concurrency: number;
  signal: AbortSignal | undefined;
  /** Sends one item; must never reject (the run guards anyway). */
  send(item: SendItem, signal: AbortSignal): Promise<PushResult>;
  /** The result for an item that is not sent because the run was aborted. */
  aborted(item: SendItem): PushResult;
  /** The result for an item whose send threw (a bug, not a network failure). */
  crashed(item: SendItem, error: unknown): PushResult;
}

type Mode = "idle" | "iterating" | "draining";

/**
 * Starts a batch: pulls items lazily (never more than `concurrency` held), sends them, and
 * hands out exactly one result per item.
 */
export function startSendAll(
  items: Iterable<SendItem> | AsyncIterable<SendItem>,
  o: SendAllRunOptions,
): SendAllRun {
  const source: Iterator<SendItem> | AsyncIterator<SendItem> =
    Symbol.asyncIterator in items
      ? (items as AsyncIterable<SendItem>)[Symbol.asyncIterator]()
      : (items as Iterable<SendItem>)[Symbol.iterator]();
  const stop = new AbortController(); // consumer left: cancel what is in flight
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  // Every item in flight listens on this signal; that is by design, not a leak.
  setMaxListeners(0, signal);

  const ready: PushResult[] = [];
  const counts: SendAllSummary = { total: 0, sent: 0, gone: 0, failed: 0 };
  let inFlight = 0;
  let sourceDone = false;
  let sourceError: { error: unknown } | undefined;
  let consumerGone = false;
  let mode: Mode = "idle";
  let finished = false;

  let wakePump: (() => void) | undefined;
  let wakeConsumer: (() => void) | undefined;

  let resolveSummary!: (s: SendAllSummary) => void;
  let rejectSummary!: (e: unknown) => void;
  const summary = new Promise<SendAllSummary>((resolve, reject) => {
    resolveSummary = resolve;
    rejectSummary = reject;
  });
  // Nobody has to await the summary; a source error must not become an unhandled rejection.
  summary.catch(() => {});

  const maybeFinish = () => {
    if (finished || !sourceDone || inFlight > 0) return;
    if (ready.length > 0 && !consumerGone && mode !== "draining") return;
    finished = true;
    if (sourceError) rejectSummary(sourceError.error);
    else resolveSummary({ ...counts });
  };

  const deliver = (item: SendItem, result: PushResult) => {
    const out = item.id === undefined ? result : { ...result, id: item.id };
    inFlight--;
    if (out.ok) counts.sent++;
    else if (out.gone) counts.gone++;
    else counts.failed++;
    if (mode !== "draining" && !consumerGone) ready.push(out);
    const w = wakeConsumer;
    wakeConsumer = undefined;
    w?.();
    if (mode === "draining" || consumerGone) wakePumpNow();
    maybeFinish();
  };

  const wakePumpNow = () => {
    const w = wakePump;
    wakePump = undefined;
    w?.();
  };

  const launch = (item: SendItem) => {
    counts.total++;
    inFlight++;
    if (signal.aborted) {
      // Aborted runs still answer every item read, without sending it.
      queueMicrotask(() => deliver(item, o.aborted(item)));
      return;
    }
    let promise: Promise<PushResult>;
    try {
      promise = o.send(item, signal);
    } catch (error) {
      promise = Promise.resolve(o.crashed(item, error));
    }
    promise.then(
      (result) => deliver(item, result),
      (error: unknown) => deliver(item, o.crashed(item, error)),
    );
  };

  const pump = async () => {
    while (!consumerGone) {
      if (inFlight + ready.length >= o.concurrency) {
        await new Promise<void>((resolve) => {
          wakePump = resolve;
        });
        continue;
      }
      let next: IteratorResult<SendItem>;
      try {
        next = await source.next();
      } catch (error) {
        sourceError = { error };
        break;
      }
      if (next.done) break;
      launch(next.value);
    }
    sourceDone = true;
    const w = wakeConsumer;
    wakeConsumer = undefined;
    w?.();
    maybeFinish();
  };
  void pump();

  const closeSource = () => {
    if (sourceDone) return;
    consumerGone = true;
    stop.abort(new DOMException("sendAll consumer stopped iterating", "AbortError"));
    wakePumpNow();
    try {
      const r = source.return?.();
      if (r && typeof (r as Promise<unknown>).then === "function")
        (r as Promise<unknown>).catch(() => {});
    } catch {
      // a source that fails to close has nothing more to give us anyway
    }
  };

  const iterator: AsyncIterator<PushResult> = {
    async next(): Promise<IteratorResult<PushResult>> {
      for (;;) {
        const result = ready.shift();
        if (result) {
          wakePumpNow();
          maybeFinish();
          return { value: result, done: false };
        }
        if (sourceDone && inFlight === 0) {
          maybeFinish();
          if (sourceError) {
            const { error } = sourceError;
            sourceError = undefined; // throw once
            throw error;
          }
          return { value: undefined, done: true };
        }
        await new Promise<void>((resolve) => {
          wakeConsumer = resolve;
        });
      }
    },
    async return(): Promise<IteratorResult<PushResult>> {
      consumerGone = true;
      ready.length = 0;
      closeSource();
      maybeFinish();
      return { value: undefined, done: true };
    },
  };

  let summaryTouched = false;
  return {
    [Symbol.asyncIterator]() {
      if (mode !== "idle") throw new TypeError("a sendAll run can be iterated only once");
      mode = "iterating";
      return iterator;
    },
    get summary() {
      if (!summaryTouched && mode === "idle") {
        summaryTouched = true;
        // Awaiting the totals without iterating must not stall on backpressure: if nobody
        // starts iterating in this turn, count and drop the results ourselves.
        setImmediate(() => {
          if (mode !== "idle") return;
          mode = "draining";
          ready.length = 0;
          wakePumpNow();
          maybeFinish();
        });
      }
      return summary;
    },
  };
}
