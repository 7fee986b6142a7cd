// sendAll: a batch read lazily, one lane per push-service origin (send-all.ts runs it), each
// item delivered as one message (delivery.ts), with the batch's options over the sender's
// and the item's over both. Large batches encrypt on the worker threads.

import type { PushSubscription, PushTarget } from "@swp/subscription";
import { payloadBytes } from "../push-request.ts";
import type { PushResult } from "../push-result.ts";
import { detectPushService } from "../push-service.ts";
import {
  type LaneTicket,
  type SendAllLanes,
  type SendAllRun,
  type SendItem,
  startSendAll,
} from "../send-all.ts";
import { type ResolvedSendOptions, resolveSendOptions, type SendOptions } from "../send-options.ts";
import type { SendAllOptions } from "../sender.ts";
import {
  ABORTED,
  type DeliveryContext,
  type DeliveryMessage,
  deliver,
  failedResult,
} from "./delivery.ts";
import { positiveInteger } from "./whole-numbers.ts";

/** A message checked by the sender: what `send` would have sent. */
export interface PreparedMessage {
  target: PushTarget;
  bytes: Uint8Array;
  o: ResolvedSendOptions;
}

/** What a batch needs from its sender. */
export interface BatchEnvironment {
  readonly ctx: DeliveryContext;
  /** The sender's default send options. */
  readonly defaults: SendOptions;
  /** The sender's `concurrency`: the default window. */
  readonly concurrency: number;
  readonly perOriginConcurrency: number;
  /** Encryption worker threads (0: none). */
  readonly workers: number;
  readonly workerThreshold: number;
  /** Checks one message; throws what `send` would reject with. */
  prepare(
    subscription: PushSubscription | string | object,
    payload: Uint8Array | string,
    base: SendOptions,
    call: SendOptions | undefined,
    resolved: ResolvedSendOptions,
    encode: (payload: Uint8Array | string) => Uint8Array,
  ): PreparedMessage;
  /** Keeps a delivery in the sender's in-flight set until it settles (for `close`). */
  track<T>(promise: Promise<T>): Promise<T>;
}

/** The number of items of an array or sized collection; undefined for other iterables. */
function knownLength(items: unknown): number | undefined {
  const n =
    (items as { length?: unknown }).length ?? (items as { size?: unknown }).size ?? undefined;
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** The endpoint of an item for its result, even when the item is invalid ("" if none). */
function endpointOf(item: SendItem): string {
  const s = item?.subscription;
  if (
    typeof s === "object" &&
    s !== null &&
    typeof (s as { endpoint?: unknown }).endpoint === "string"
  ) {
    return (s as { endpoint: string }).endpoint;
  }
  if (typeof s === "string") {
    try {
      const e = (JSON.parse(s) as { endpoint?: unknown }).endpoint;
      if (typeof e === "string") return e;
    } catch {
      // not JSON: no endpoint to report
    }
  }
  return "";
}

/** A batch item admitted to its origin's lane: the message, ready to deliver. */
interface BatchTicket extends LaneTicket {
  readonly message: DeliveryMessage;
}

/**
 * Starts a `sendAll` run. Throws synchronously only for bad batch options (an
 * InvalidOptionError or TypeError); every item's problem becomes its result.
 */
export function startBatch(
  env: BatchEnvironment,
  items: Iterable<SendItem> | AsyncIterable<SendItem>,
  batchOptions: SendAllOptions,
): SendAllRun {
  const {
    ctx,
    defaults,
    concurrency,
    perOriginConcurrency,
    workers,
    workerThreshold,
    prepare,
    track,
  } = env;
  const { concurrency: batchConcurrency, ...batchSend } = batchOptions;
  const runConcurrency = positiveInteger("concurrency", batchConcurrency, concurrency);
  const base: SendOptions = {
    ...defaults,
    ...batchSend,
    headers: { ...defaults.headers, ...batchSend.headers },
  };
  // Bad batch options are one programmer error, reported once, now.
  resolveSendOptions(base, undefined);
  const failed = (item: SendItem, over: Partial<PushResult>): PushResult => {
    const endpoint = endpointOf(item);
    return failedResult(endpoint, detectPushService(endpoint), 0, over);
  };
  // The batch signal reaches each item through the run's signal; the options keep only
  // the item's own.
  const { signal: _batchSignal, ...itemBase } = base;
  const resolvedBase = resolveSendOptions(itemBase, undefined);
  // A broadcast sends one payload to every item: encode a repeated string once, which
  // also lets a worker batch carry it once.
  let lastText: string | undefined;
  let lastBytes: Uint8Array | undefined;
  const encode = (payload: Uint8Array | string): Uint8Array => {
    if (typeof payload !== "string") return payloadBytes(payload);
    if (payload !== lastText || !lastBytes) {
      lastBytes = payloadBytes(payload);
      lastText = payload;
    }
    return lastBytes;
  };
  // Workers pay for themselves only on large batches: from the first item of a large
  // enough array, from the threshold-th item of an iterable of unknown length.
  const length = knownLength(items);
  const workersFrom =
    workers === 0
      ? Number.POSITIVE_INFINITY
      : length === undefined
        ? workerThreshold
        : length >= workerThreshold
          ? 0
          : Number.POSITIVE_INFINITY;
  let launched = 0;
  let onWorkers = false;
  const lanes: SendAllLanes<BatchTicket> = {
    // The lane bounds an origin's items from the start of their delivery, encryption
    // included; the origin's permits bound its requests. Once the workers are in, the lane
    // also holds what they encrypt, or they would get the origin's share at most and
    // starve (the window widens likewise).
    get limit(): number {
      if (!onWorkers) return perOriginConcurrency;
      return perOriginConcurrency + ctx.pool().capacity;
    },
    admit(item) {
      if (launched++ >= workersFrom) onWorkers = true;
      let prepared: PreparedMessage;
      try {
        prepared = prepare(
          item.subscription,
          item.payload,
          itemBase,
          item.options,
          resolvedBase,
          encode,
        );
      } catch (error) {
        // What send() would reject with becomes this item's result.
        const e = error instanceof Error ? error : new Error(String(error));
        return failed(item, { reason: e.message, error: e });
      }
      const startedAt = ctx.clock.now();
      return {
        lane: prepared.target.url.origin,
        deadline: startedAt + prepared.o.timeout,
        // Every field set now, the last two by `send`: one object shape for all messages.
        message: {
          target: prepared.target,
          bytes: prepared.bytes,
          o: prepared.o,
          onWorkers,
          startedAt,
          batchSignal: undefined,
          onSent: undefined,
        },
      };
    },
    send(_item, ticket, runSignal, onSent) {
      // The ticket is the run's alone and sent once: complete its message in place.
      const message = ticket.message;
      message.batchSignal = runSignal;
      message.onSent = onSent;
      return track(deliver(ctx, message));
    },
    expired(_item, ticket) {
      const { target, o } = ticket.message;
      return failedResult(target.endpoint, detectPushService(target.url), 0, {
        reason: `timeout: no result within the message's ${o.timeout} ms (waited for its origin)`,
      });
    },
    pausedFor: (lane) => ctx.permits.pausedFor(lane),
    now: () => ctx.clock.now(),
    timer: (ms, fn) => ctx.clock.timeout(ms, fn),
  };
  return startSendAll(items, {
    // Once the workers are in, the window also covers what they hold, or they would
    // starve; an explicit batch concurrency is honoured as given.
    get concurrency(): number {
      if (!onWorkers || batchConcurrency !== undefined) return runConcurrency;
      return runConcurrency + ctx.pool().capacity;
    },
    signal: base.signal,
    lanes: lanes as SendAllLanes<LaneTicket>,
    aborted: (item) => failed(item, { reason: ABORTED }),
    crashed: (item, error) =>
      failed(item, {
        reason: error instanceof Error ? error.message : String(error),
        error: error instanceof Error ? error : new Error(String(error)),
      }),
  });
}
