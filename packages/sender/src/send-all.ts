import { setMaxListeners } from "node:events";
import type { PushSubscription } from "@swp/subscription";
import type { PushResult } from "./push-result.ts";
import type { SendOptions } from "./send-options.ts";

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

/**
 * An item's place in its origin's lane, from {@link SendAllLanes.admit}: the sender's
 * prepared message, opaque to the run.
 */
export interface LaneTicket {
  /** The lane: the push-service origin. */
  readonly lane: string;
  /** Epoch ms when the item's `timeout` runs out (it counts from the moment it was read). */
  readonly deadline: number;
}

/**
 * Per-origin lanes of a run. An origin holds at most `limit` items started and not yet
 * answered, and none while it is paused (a 429's Retry-After); its other items wait in its
 * lane, not in the sending window, so a stalled or throttled origin slows only itself.
 */
export interface SendAllLanes<T extends LaneTicket = LaneTicket> {
  /**
   * Items of one origin started and unanswered at once. Read before each start, so a getter
   * may widen it mid-run (the sender does once it encrypts on worker threads).
   */
  readonly limit: number;
  /**
   * Reads an item: its ticket, or a result when it cannot be sent (an invalid item).
   * Must not throw.
   */
  admit(item: SendItem): T | PushResult;
  /** Sends an admitted item; `onSent` when its request is on the wire. Must not reject. */
  send(item: SendItem, ticket: T, signal: AbortSignal, onSent: () => void): Promise<PushResult>;
  /** The result of an item whose deadline passed while it waited in its lane. */
  expired(item: SendItem, ticket: T): PushResult;
  /** Milliseconds until `lane` may be sent to again (0: now). */
  pausedFor(lane: string): number;
  /** Epoch ms. */
  now(): number;
  /** Calls `fn` after `ms` unless the returned function is called first. */
  timer(ms: number, fn: () => void): () => void;
}

/** How {@link startSendAll} sends: the window, the batch's signal, and the sending itself. */
export interface SendAllRunOptions {
  /**
   * Items held at once (waiting, being sent, or finished but not yet yielded; items whose
   * request is on the wire count only against their lane). Read before each item is
   * pulled, so a getter may widen it mid-run (the sender does once it encrypts on worker
   * threads).
   */
  readonly concurrency: number;
  signal: AbortSignal | undefined;
  /** Sends one item without lanes; must never reject (the run guards anyway). */
  send?(item: SendItem, signal: AbortSignal): Promise<PushResult>;
  /** Per-origin lanes: used instead of `send` when given. */
  lanes?: SendAllLanes<LaneTicket> | undefined;
  /** The result for an item that is not sent because the run was aborted. */
  aborted(item: SendItem): PushResult;
  /** The result for an item whose send threw (a bug, not a network failure). */
  crashed(item: SendItem, error: unknown): PushResult;
}

/** Where an item of a run is: on the wire yet, answered yet. */
interface ItemState {
  sent: boolean;
  done: boolean;
}

/** An item waiting in its lane for room. */
interface Parked {
  item: SendItem;
  ticket: LaneTicket;
  state: ItemState;
}

interface Lane {
  /** Items started and not yet answered. */
  active: number;
  queue: Parked[];
  /** Wakes the lane when its pause ends. */
  cancelPauseTimer: (() => void) | undefined;
  /**
   * Ends the waiting items whose deadline passed: one timer per lane, armed for the
   * earliest deadline in its queue (not one per waiting item: a busy lane parks every item
   * it reads, and a timer each shows at thousands of messages per second).
   */
  cancelExpiry: (() => void) | undefined;
  /** Epoch ms the expiry timer is armed for. */
  expiryAt: number;
}

type Mode = "idle" | "iterating" | "draining";

/**
 * Items a run may hold in the lanes of paused origins, besides its window: enough for the
 * other origins to keep flowing through a Retry-After, few enough that the waiting items
 * (whose timeouts run from the moment they were read) can all go out when it ends.
 */
const PAUSED_ALLOWANCE = 256;

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

  /** Items read and not yet on the wire (waiting in a lane, being prepared or sent). */
  let unsent = 0;

  const deliver = (item: SendItem, state: ItemState, result: PushResult) => {
    if (state.done) return;
    state.done = true;
    if (!state.sent) unsent--;
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

  const settle = (item: SendItem, state: ItemState, promise: Promise<PushResult>) => {
    promise.then(
      (result) => deliver(item, state, result),
      (error: unknown) => deliver(item, state, o.crashed(item, error)),
    );
  };

  // Lanes: one per origin, made on first use and dropped once empty.
  const lanes = o.lanes;
  const laneMap = new Map<string, Lane>();

  const stopExpiry = (lane: Lane) => {
    const cancel = lane.cancelExpiry;
    lane.cancelExpiry = undefined;
    cancel?.();
  };

  const dropIfIdle = (name: string, lane: Lane) => {
    if (lane.active > 0 || lane.queue.length > 0) return;
    lane.cancelPauseTimer?.();
    stopExpiry(lane);
    laneMap.delete(name);
  };

  const start = (item: SendItem, ticket: LaneTicket, state: ItemState, lane: Lane) => {
    const l = lanes!;
    lane.active++;
    // On the wire: the item stops counting against the window (its lane still bounds it),
    // so an origin that never answers cannot hold the window.
    const onSent = () => {
      if (state.sent || state.done) return;
      state.sent = true;
      unsent--;
      wakePumpNow();
    };
    let promise: Promise<PushResult>;
    try {
      promise = l.send(item, ticket, signal, onSent);
    } catch (error) {
      promise = Promise.resolve(o.crashed(item, error));
    }
    // One reaction per item: free its lane place (and start the next waiting item), then
    // hand out its result.
    promise.then(
      (result) => {
        lane.active--;
        drain(ticket.lane, lane);
        deliver(item, state, result);
      },
      (error: unknown) => {
        lane.active--;
        drain(ticket.lane, lane);
        deliver(item, state, o.crashed(item, error));
      },
    );
  };

  const armPause = (name: string, lane: Lane, wait: number) => {
    if (lane.cancelPauseTimer) return;
    lane.cancelPauseTimer = lanes!.timer(wait, () => {
      lane.cancelPauseTimer = undefined;
      drain(name, lane);
    });
  };

  /** Starts the lane's waiting items while it has room and is not paused. */
  const drain = (name: string, lane: Lane) => {
    while (lane.queue.length > 0 && lane.active < lanes!.limit) {
      const wait = lanes!.pausedFor(name);
      if (wait > 0) {
        armPause(name, lane, wait);
        return;
      }
      const next = lane.queue.shift()!;
      start(next.item, next.ticket, next.state, lane);
    }
    // An emptied queue keeps its expiry timer (cancelled once the lane is idle): re-arming it
    // for every item of a lane that runs at its limit would cost a timer per item again.
    dropIfIdle(name, lane);
  };

  /** Arms the lane's expiry timer for `at` (epoch ms), unless it is armed for earlier. */
  const armExpiry = (name: string, lane: Lane, at: number) => {
    if (lane.cancelExpiry && lane.expiryAt <= at) return;
    stopExpiry(lane);
    const l = lanes!;
    lane.expiryAt = at;
    lane.cancelExpiry = l.timer(Math.max(0, at - l.now()), () => {
      lane.cancelExpiry = undefined;
      expire(name, lane);
    });
  };

  /** Ends the lane's waiting items whose deadline passed; re-arms for the next deadline. */
  const expire = (name: string, lane: Lane) => {
    const l = lanes!;
    const now = l.now();
    let next = Number.POSITIVE_INFINITY;
    const kept: Parked[] = [];
    const ended: Parked[] = [];
    for (const entry of lane.queue) {
      if (entry.ticket.deadline <= now) ended.push(entry);
      else {
        kept.push(entry);
        if (entry.ticket.deadline < next) next = entry.ticket.deadline;
      }
    }
    lane.queue = kept;
    for (const entry of ended)
      deliver(entry.item, entry.state, l.expired(entry.item, entry.ticket));
    if (kept.length > 0) armExpiry(name, lane, next);
    dropIfIdle(name, lane);
  };

  const park = (item: SendItem, ticket: LaneTicket, state: ItemState, lane: Lane) => {
    const l = lanes!;
    lane.queue.push({ item, ticket, state });
    // Waiting in the lane counts against the item's timeout: it ends there at its deadline.
    armExpiry(ticket.lane, lane, ticket.deadline);
    const wait = l.pausedFor(ticket.lane);
    if (wait > 0) armPause(ticket.lane, lane, wait);
  };

  if (lanes) {
    // An aborted run answers the items waiting in lanes at once (those started end through
    // their own signal).
    const flush = () => {
      for (const [name, lane] of laneMap) {
        stopExpiry(lane);
        for (const entry of lane.queue.splice(0)) {
          deliver(entry.item, entry.state, o.aborted(entry.item));
        }
        dropIfIdle(name, lane);
      }
    };
    if (signal.aborted) queueMicrotask(flush);
    else signal.addEventListener("abort", flush, { once: true });
  }

  /**
   * Whether the run must stop reading. Items on the wire count only against their lane;
   * items waiting in the lane of a paused origin (429) count against a separate, larger
   * allowance, so a throttled origin cannot stop the others: the window is for the rest.
   */
  const windowFull = (): boolean => {
    let waitingOut = 0;
    // Runs before every item read: no iterator or entry allocations.
    if (lanes && laneMap.size > 0) {
      laneMap.forEach((lane, name) => {
        if (lane.queue.length > 0 && lanes.pausedFor(name) > 0) waitingOut += lane.queue.length;
      });
    }
    const concurrency = o.concurrency;
    return (
      unsent - waitingOut + ready.length >= concurrency ||
      waitingOut >= Math.max(PAUSED_ALLOWANCE, concurrency)
    );
  };

  const launch = (item: SendItem) => {
    counts.total++;
    inFlight++;
    unsent++;
    const state: ItemState = { sent: false, done: false };
    if (signal.aborted) {
      // Aborted runs still answer every item read, without sending it.
      queueMicrotask(() => deliver(item, state, o.aborted(item)));
      return;
    }
    if (!lanes) {
      let promise: Promise<PushResult>;
      try {
        promise = o.send!(item, signal);
      } catch (error) {
        promise = Promise.resolve(o.crashed(item, error));
      }
      settle(item, state, promise);
      return;
    }
    let admitted: LaneTicket | PushResult;
    try {
      admitted = lanes.admit(item);
    } catch (error) {
      admitted = o.crashed(item, error);
    }
    if ("ok" in admitted) {
      const result = admitted;
      queueMicrotask(() => deliver(item, state, result));
      return;
    }
    let lane = laneMap.get(admitted.lane);
    if (!lane) {
      lane = {
        active: 0,
        queue: [],
        cancelPauseTimer: undefined,
        cancelExpiry: undefined,
        expiryAt: 0,
      };
      laneMap.set(admitted.lane, lane);
    }
    if (
      lane.queue.length === 0 &&
      lane.active < lanes.limit &&
      lanes.pausedFor(admitted.lane) === 0
    )
      start(item, admitted, state, lane);
    else park(item, admitted, state, lane);
  };

  const pump = async () => {
    while (!consumerGone) {
      if (windowFull()) {
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
