import { availableParallelism } from "node:os";
import type { Vapid } from "@swp/vapid";
import { BlockedAddressError, isSwpError, SenderClosedError } from "./errors.ts";
import { parseRetryAfter, retryDelay } from "./lib/backoff.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import { EncryptPool, encryptHere, WorkerLostError } from "./lib/encrypt-pool.ts";
import type { EncryptedBody, EncryptJob } from "./lib/encrypt-wire.ts";
import { HostPolicy } from "./lib/guarded-lookup.ts";
import { parseReason } from "./lib/reason.ts";
import { Semaphore } from "./lib/semaphore.ts";
import { createNodeTransport } from "./node-transport.ts";
import {
  asSubscriptionError,
  assemblePushRequest,
  checkPayloadSize,
  type PushRequest,
  payloadBytes,
} from "./push-request.ts";
import {
  isGoneStatus,
  isRetryableStatus,
  isSuccessStatus,
  type PushResult,
} from "./push-result.ts";
import { detectPushService, type PushService } from "./push-service.ts";
import { type SendAllRun, type SendItem, startSendAll } from "./send-all.ts";
import { type ResolvedSendOptions, resolveSendOptions, type SendOptions } from "./send-options.ts";
import { type PushSubscription, type PushTarget, parsePushTarget } from "./subscription.ts";
import type { Transport, TransportResponse } from "./transport.ts";

/**
 * Options of {@link createSender}: how to connect, plus defaults for every message.
 *
 * @example
 * ```ts
 * const sender = createSender({
 *   vapid: createVapid({ keys, subject: "mailto:ops@example.com" }),
 *   ttl: 86_400, timeout: 10_000, concurrency: 128,
 * })
 * ```
 */
export interface SenderOptions extends SendOptions {
  /** Signs every request (RFC 8292), from `createVapid` of `@swp/vapid`. */
  vapid: Vapid;
  /**
   * Hosts exempt from the SSRF guard, as written in endpoint URLs (e.g. `"127.0.0.1"`,
   * `"localhost"`, `"push.intranet.example"`). Default none: loopback, private,
   * link-local and unique-local addresses are refused.
   */
  allowHosts?: readonly string[];
  /** Accept `http:` endpoints (tests only). Default false. */
  allowHttp?: boolean;
  /** Extra certificate authorities (PEM) to trust, e.g. the fake push service's `ca`. */
  ca?: string | readonly string[];
  /** Requests in flight at most, overall; also the default for `sendAll`. Default 64. */
  concurrency?: number;
  /** Requests in flight at most per push-service origin. Default 32. */
  perOriginConcurrency?: number;
  /**
   * Worker threads that encrypt the messages of large `sendAll` batches (RFC 8291 needs a
   * fresh P-256 key pair and ECDH per message: the CPU cost of a broadcast). Default
   * `os.availableParallelism() - 1`: the calling thread keeps a core for HTTP, parsing and
   * VAPID, which take about a third of a message's CPU (on one core the default is 0).
   * 0 encrypts everything on the calling thread. Single
   * `send` calls and small batches never use them. The workers start with the first batch
   * that needs them, never keep the process alive while idle, and stop on `close()`.
   */
  workers?: number;
  /**
   * How many items a `sendAll` must have before its messages are encrypted on the workers:
   * an array (or anything with a numeric `length` or `size`) of at least this many goes to
   * the workers from its first item; an iterable of unknown length once it has yielded
   * this many. Default 256.
   */
  workerThreshold?: number;
  /**
   * The encryption pool to use instead of one the sender starts itself.
   * @internal For tests: lets them reach the workers (and kill one).
   */
  encryptPool?: EncryptPool;
  /** URL of an HTTP(S) proxy to send through. */
  proxy?: string;
  /**
   * How to talk HTTP. Default: {@link createNodeTransport} built from `allowHosts`, `ca`,
   * `proxy` and `perOriginConcurrency`. Pass `createFetchTransport(fetch)` on other runtimes.
   */
  transport?: Transport;
  /**
   * Time, timers and randomness for retries, backoff and timeouts.
   * @internal For tests: lets them run retries and timeouts with no real waits.
   */
  clock?: Clock;
}

/**
 * Options of {@link Sender.sendAll}: send options for every item, plus the batch's bound.
 *
 * @example
 * ```ts
 * sender.sendAll(items, { ttl: 60, concurrency: 256, signal: AbortSignal.timeout(60_000) })
 * ```
 */
export interface SendAllOptions extends SendOptions {
  /**
   * Items held at once (being encrypted, in flight, or finished but not yet read). Default:
   * the sender's `concurrency`, plus what the encryption workers hold
   * (`workers` × 2 batches × 64) once the batch uses them.
   */
  concurrency?: number;
}

/**
 * Delivers push messages. Create one per application (it pools connections) and `close()`
 * it on shutdown.
 *
 * @example
 * ```ts
 * const result = await sender.send(subscription, "Hello")
 * for await (const r of sender.sendAll(items)) if (r.gone) await forget(r.endpoint)
 * await sender.close()
 * ```
 */
export interface Sender {
  /**
   * Sends one message and resolves with its {@link PushResult}, whatever the push service
   * answers and whatever the network does (after `retries`). Rejects only for programmer
   * errors: `SubscriptionError`, `PayloadTooLargeError`, `InvalidOptionError`,
   * `SenderClosedError`, `TypeError` — all before any network I/O.
   */
  send(
    subscription: PushSubscription | string | object,
    payload: Uint8Array | string,
    options?: SendOptions,
  ): Promise<PushResult>;
  /**
   * Sends many messages with bounded concurrency, reading `items` lazily (an async
   * iterable of a million items never sits in memory) and yielding exactly one result per
   * item in completion order. Items that `send` would reject for get a result with
   * `error` set instead. Aborting `options.signal` ends every unfinished item with an
   * aborted result. Throws synchronously only for bad batch options or a closed sender.
   */
  sendAll(
    items: Iterable<SendItem> | AsyncIterable<SendItem>,
    options?: SendAllOptions,
  ): SendAllRun;
  /** Waits for messages in flight, then closes connections. Later sends reject. */
  close(): Promise<void>;
}

const ABORTED = "aborted";

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 1) {
    throw new TypeError(`${name} must be a whole number ≥ 1, got ${String(v)}`);
  }
  return v;
}

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new TypeError(`${name} must be a whole number ≥ 0, got ${String(v)}`);
  }
  return v;
}

/** The number of items of an array or sized collection; undefined for other iterables. */
function knownLength(items: unknown): number | undefined {
  const n =
    (items as { length?: unknown }).length ?? (items as { size?: unknown }).size ?? undefined;
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Why a network attempt failed, in words safe to log (no keys, no payload). */
function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms (timeout)`);
  }
}

const NO_LINK = { signal: undefined, unlink: () => {} };

/** Links two signals to a controller; returns it and a function that unlinks them. */
function linkSignals(
  a: AbortSignal | undefined,
  b: AbortSignal | undefined,
): {
  signal: AbortSignal | undefined;
  unlink: () => void;
} {
  // One signal or none (a batch item's usual case) needs no controller, listener or
  // allocation: this runs once per message.
  if (a === undefined) return b === undefined ? NO_LINK : { signal: b, unlink: NO_LINK.unlink };
  if (b === undefined) return { signal: a, unlink: NO_LINK.unlink };
  const present = [a, b];
  const controller = new AbortController();
  const listeners = present.map((s) => {
    const on = () => controller.abort(s.reason);
    if (s.aborted) on();
    else s.addEventListener("abort", on, { once: true });
    return () => s.removeEventListener("abort", on);
  });
  return {
    signal: controller.signal,
    unlink: () => {
      for (const off of listeners) off();
    },
  };
}

/**
 * Creates a sender: pooled, kept-alive connections per push-service origin (HTTP/2 where
 * the service offers it), bounded concurrency, a timeout on every attempt, bounded retries
 * with backoff, an SSRF guard, and exactly one {@link PushResult} per message.
 *
 * @example
 * ```ts
 * import { createVapid, generateVapidKeys } from "@swp/vapid"
 * import { createSender } from "@swp/sender"
 *
 * const vapid = createVapid({ keys: await generateVapidKeys(), subject: "mailto:ops@example.com" })
 * const sender = createSender({ vapid, ttl: 3600 })
 * const result = await sender.send(subscription, JSON.stringify({ title: "Hi" }))
 * if (result.gone) await store.removeByEndpoint(result.endpoint)
 * await sender.close()
 * ```
 */
export function createSender(options: SenderOptions): Sender {
  if (!options || typeof options.vapid?.headers !== "function") {
    throw new TypeError("createSender needs { vapid } from createVapid() of @swp/vapid");
  }
  const {
    vapid,
    allowHosts,
    allowHttp = false,
    ca,
    concurrency: concurrencyOption,
    perOriginConcurrency: perOriginOption,
    proxy,
    transport: givenTransport,
    clock = systemClock,
    workers: workersOption,
    workerThreshold: thresholdOption,
    encryptPool: givenPool,
    ...sendDefaults
  } = options;
  const concurrency = positiveInteger("concurrency", concurrencyOption, 64);
  const perOriginConcurrency = positiveInteger("perOriginConcurrency", perOriginOption, 32);
  const workers = givenPool
    ? givenPool.size
    : nonNegativeInteger("workers", workersOption, availableParallelism() - 1);
  const workerThreshold = nonNegativeInteger("workerThreshold", thresholdOption, 256);
  let pool: EncryptPool | undefined = givenPool;
  const getPool = (): EncryptPool => {
    pool ??= new EncryptPool({ size: workers });
    return pool;
  };
  // Validate the defaults once, now, so a bad default fails at construction.
  resolveSendOptions(sendDefaults, undefined);
  const defaults: SendOptions = Object.freeze({ ...sendDefaults });

  const policy = new HostPolicy(allowHosts);
  const transport =
    givenTransport ??
    createNodeTransport({
      ...(allowHosts ? { allowHosts } : {}),
      ...(ca ? { ca } : {}),
      ...(proxy ? { proxy } : {}),
      perOriginConnections: perOriginConcurrency,
    });
  const ownsTransport = givenTransport === undefined;
  const global = new Semaphore(concurrency);
  const perOrigin = new Map<string, { semaphore: Semaphore; users: number }>();
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    const drop = () => inFlight.delete(promise);
    promise.then(drop, drop);
    return promise;
  };

  const result = (
    endpoint: string,
    service: PushService,
    attempts: number,
    over: Partial<PushResult>,
  ): PushResult => ({
    ok: false,
    statusCode: 0,
    endpoint,
    gone: false,
    attempts,
    service,
    ...over,
  });
  /** The common answer, built without the spread of {@link result} (one per message). */
  const accepted = (
    endpoint: string,
    service: PushService,
    attempts: number,
    statusCode: number,
  ): PushResult => ({ ok: true, statusCode, endpoint, gone: false, attempts, service });

  /**
   * Takes a per-origin and a global permit; returns the function that gives them back, or a
   * promise of it when one has to be waited for.
   */
  function acquire(
    origin: string,
    signal: AbortSignal | undefined,
  ): (() => void) | Promise<() => void> {
    let entry = perOrigin.get(origin);
    if (!entry) {
      entry = { semaphore: new Semaphore(perOriginConcurrency), users: 0 };
      perOrigin.set(origin, entry);
    }
    entry.users++;
    const e = entry;
    const leave = () => {
      if (--e.users === 0) perOrigin.delete(origin);
    };
    const release = () => {
      global.release();
      e.semaphore.release();
      leave();
    };
    // Below both limits (the usual case) the permits are taken at once, with no promise and
    // no microtask turns: this runs for every attempt.
    // Per-origin first: a slow origin must not hold global permits while it queues.
    const haveOrigin = e.semaphore.tryAcquire();
    if (haveOrigin && global.tryAcquire()) return release;
    return (async () => {
      if (!haveOrigin) {
        try {
          await e.semaphore.acquire(signal);
        } catch (error) {
          leave();
          throw error;
        }
      }
      try {
        await global.acquire(signal);
      } catch (error) {
        e.semaphore.release();
        leave();
        throw error;
      }
      return release;
    })();
  }

  /**
   * The attempts under way per caller signal, so that a batch's signal carries one
   * listener instead of one per request (EventTarget listeners cost microseconds each,
   * which shows at thousands of messages per second).
   */
  const attemptsBySignal = new WeakMap<AbortSignal, Set<AbortController>>();
  function watch(signal: AbortSignal, controller: AbortController): () => void {
    let attempts = attemptsBySignal.get(signal);
    if (!attempts) {
      const set = new Set<AbortController>();
      attempts = set;
      attemptsBySignal.set(signal, set);
      signal.addEventListener(
        "abort",
        () => {
          for (const c of set) c.abort(signal.reason);
          set.clear();
        },
        { once: true },
      );
    }
    if (signal.aborted) controller.abort(signal.reason);
    else attempts.add(controller);
    const set = attempts;
    return () => set.delete(controller);
  }

  type Attempt =
    | { kind: "answer"; response: TransportResponse }
    | { kind: "aborted" }
    | { kind: "refused"; error: BlockedAddressError }
    | { kind: "network"; reason: string };

  async function attempt(
    origin: string,
    path: string,
    request: PushRequest,
    o: ResolvedSendOptions,
    cancel: AbortSignal | undefined,
  ): Promise<Attempt> {
    const permits = acquire(origin, cancel);
    let release: () => void;
    if (typeof permits === "function") release = permits;
    else {
      try {
        release = await permits;
      } catch {
        return { kind: "aborted" };
      }
    }
    const controller = new AbortController();
    const unwatch = cancel ? watch(cancel, controller) : undefined;
    const cancelTimeout = clock.timeout(o.timeout, () =>
      controller.abort(new TimeoutError(o.timeout)),
    );
    try {
      const response = await transport.request({
        origin,
        path,
        method: "POST",
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
      });
      return { kind: "answer", response };
    } catch (error) {
      if (cancel?.aborted) return { kind: "aborted" };
      if (error instanceof BlockedAddressError) return { kind: "refused", error };
      if (isSwpError(error) && error.code === "ERR_PUSH_BLOCKED_ADDRESS") {
        return { kind: "refused", error: error as BlockedAddressError };
      }
      const reason =
        controller.signal.reason instanceof TimeoutError
          ? controller.signal.reason.message
          : describeNetworkError(error);
      return { kind: "network", reason };
    } finally {
      cancelTimeout();
      unwatch?.();
      release();
    }
  }

  async function deliver(
    target: PushTarget,
    bytes: Uint8Array,
    o: ResolvedSendOptions,
    extraSignal?: AbortSignal,
    onWorkers = false,
  ): Promise<PushResult> {
    const { endpoint, url } = target;
    const service = detectPushService(url);
    const { signal: cancel, unlink } = linkSignals(o.signal, extraSignal);
    try {
      if (cancel?.aborted) return result(endpoint, service, 0, { reason: ABORTED });
      // IP-literal hosts are judged here for every transport (fetch included); names are
      // judged by the Node transport's connect-time lookup.
      const refused = policy.checkLiteral(url.hostname);
      if (refused) return result(endpoint, service, 0, { reason: refused.message });
      const job: EncryptJob = {
        plaintext: bytes,
        uaPublic: target.uaPublic,
        authSecret: target.authSecret,
        encoding: o.encoding,
        padding: o.padding,
      };
      let encrypted: EncryptedBody;
      try {
        encrypted = await (onWorkers ? getPool().encrypt(job, cancel) : encryptHere(job));
      } catch (error) {
        if (cancel?.aborted) return result(endpoint, service, 0, { reason: ABORTED });
        if (error instanceof WorkerLostError) {
          return result(endpoint, service, 0, { reason: error.message });
        }
        // A p256dh off the curve is a SubscriptionError, as parseSubscription reports it.
        throw asSubscriptionError(error, target);
      }
      // VAPID stays on this thread: one token per audience, signed once and shared.
      const request = assemblePushRequest(
        target,
        encrypted,
        await vapid.headers(endpoint, o.encoding),
        o,
        service,
      );
      // URL getters build new strings on every read: read them once per message, not per
      // attempt (and not twice per attempt).
      const origin = url.origin;
      const path = url.pathname + url.search;

      let attempts = 0;
      for (;;) {
        attempts++;
        const outcome = await attempt(origin, path, request, o, cancel);
        let retryAfter: number | undefined;
        let final: PushResult | undefined;
        switch (outcome.kind) {
          case "aborted":
            return result(endpoint, service, attempts - 1, { reason: ABORTED });
          case "refused":
            return result(endpoint, service, attempts - 1, { reason: outcome.error.message });
          case "network":
            final = result(endpoint, service, attempts, { reason: outcome.reason });
            break;
          case "answer": {
            const { statusCode, headers, body } = outcome.response;
            if (isSuccessStatus(statusCode))
              return accepted(endpoint, service, attempts, statusCode);
            retryAfter = parseRetryAfter(headers["retry-after"], clock.now());
            const reason = parseReason(service, headers, body);
            final = result(endpoint, service, attempts, {
              statusCode,
              gone: isGoneStatus(statusCode),
              ...(retryAfter !== undefined ? { retryAfter } : {}),
              ...(reason !== undefined ? { reason } : {}),
            });
            if (!isRetryableStatus(statusCode)) return final;
            break;
          }
        }
        if (attempts > o.retries) return final;
        try {
          await clock.sleep(retryDelay(attempts, retryAfter, clock.random()), cancel);
        } catch {
          return result(endpoint, service, attempts, { reason: ABORTED });
        }
      }
    } finally {
      unlink();
    }
  }

  /** Validates one message's arguments; throws the programmer errors `send` rejects with. */
  function prepare(
    subscription: PushSubscription | string | object,
    payload: Uint8Array | string,
    base: SendOptions,
    call: SendOptions | undefined,
    resolved?: ResolvedSendOptions,
    encode: (payload: Uint8Array | string) => Uint8Array = payloadBytes,
  ): { target: PushTarget; bytes: Uint8Array; o: ResolvedSendOptions } {
    const target = parsePushTarget(subscription, allowHttp);
    const o = call === undefined && resolved ? resolved : resolveSendOptions(base, call);
    const bytes = encode(payload);
    checkPayloadSize(bytes, o);
    return { target, bytes, o };
  }

  return {
    async send(subscription, payload, callOptions) {
      if (closed) throw new SenderClosedError();
      const { target, bytes, o } = prepare(subscription, payload, defaults, callOptions);
      return track(deliver(target, bytes, o));
    },

    sendAll(items, batchOptions = {}) {
      if (closed) throw new SenderClosedError();
      const { concurrency: batchConcurrency, ...batchSend } = batchOptions;
      const runConcurrency = positiveInteger("concurrency", batchConcurrency, concurrency);
      const base: SendOptions = {
        ...defaults,
        ...batchSend,
        headers: { ...defaults.headers, ...batchSend.headers },
      };
      // Bad batch options are one programmer error, reported once, now.
      resolveSendOptions(base, undefined);
      const endpointOf = (item: SendItem): string => {
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
      };
      const failed = (item: SendItem, over: Partial<PushResult>): PushResult => {
        const endpoint = endpointOf(item);
        return result(endpoint, detectPushService(endpoint), 0, over);
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
      const run = startSendAll(items, {
        // Once the workers are in, the window also covers what they hold, or they would
        // starve; an explicit batch concurrency is honoured as given.
        get concurrency(): number {
          if (!onWorkers || batchConcurrency !== undefined) return runConcurrency;
          return runConcurrency + getPool().capacity;
        },
        signal: base.signal,
        send: (item, runSignal) => {
          if (launched++ >= workersFrom) onWorkers = true;
          let prepared: ReturnType<typeof prepare>;
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
            return Promise.resolve(failed(item, { reason: e.message, error: e }));
          }
          return track(deliver(prepared.target, prepared.bytes, prepared.o, runSignal, onWorkers));
        },
        aborted: (item) => failed(item, { reason: ABORTED }),
        crashed: (item, error) =>
          failed(item, {
            reason: error instanceof Error ? error.message : String(error),
            error: error instanceof Error ? error : new Error(String(error)),
          }),
      });
      return run;
    },

    async close() {
      closed = true;
      await Promise.allSettled([...inFlight]);
      await Promise.all([pool?.close(), ownsTransport ? transport.close?.() : undefined]);
    },
  };
}
