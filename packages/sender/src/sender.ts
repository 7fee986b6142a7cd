import { availableParallelism } from "node:os";
import type { PushSubscription, PushTarget } from "@swp/subscription";
import type { Vapid } from "@swp/vapid";
import { SenderClosedError } from "./errors.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import { type DeliveryContext, deliver } from "./lib/delivery.ts";
import { EncryptPool } from "./lib/encrypt-pool.ts";
import { resolvePushTarget } from "./lib/endpoint-policy.ts";
import { HostPolicy } from "./lib/guarded-lookup.ts";
import { Permits } from "./lib/permits.ts";
import { type BatchEnvironment, startBatch } from "./lib/send-batch.ts";
import { nonNegativeInteger, positiveInteger } from "./lib/whole-numbers.ts";
import { createNodeTransport } from "./node-transport.ts";
import { checkPayloadSize, payloadBytes } from "./push-request.ts";
import type { PushResult } from "./push-result.ts";
import type { SendAllRun, SendItem } from "./send-all.ts";
import { type ResolvedSendOptions, resolveSendOptions, type SendOptions } from "./send-options.ts";
import type { Transport } from "./transport.ts";

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
   * How to talk HTTP. Default: `createNodeTransport` built from `allowHosts`, `ca`,
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
   * The batch's window: items held at once that are not yet on the wire (waiting, being
   * encrypted or sent) or finished but not yet read. Items waiting for an answer count only
   * against their origin's lane (`perOriginConcurrency`), and items of an origin paused by
   * a 429 against a separate allowance of 256. Default: the sender's `concurrency`, plus
   * what the encryption workers hold (`workers` × 2 batches × 64) once the batch uses them.
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

/**
 * Creates a sender: pooled, kept-alive connections per push-service origin (HTTP/2 where
 * the service offers it), bounded concurrency overall and per origin, one lane per origin in
 * `sendAll` (a 429 slows only its origin), a timeout on every message that covers all its
 * waits, bounded retries with backoff, an SSRF guard, and exactly one {@link PushResult}
 * per message.
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
  // Validate the defaults once, now, so a bad default fails at construction.
  resolveSendOptions(sendDefaults, undefined);
  const defaults: SendOptions = Object.freeze({ ...sendDefaults });

  const transport =
    givenTransport ??
    createNodeTransport({
      ...(allowHosts ? { allowHosts } : {}),
      ...(ca ? { ca } : {}),
      ...(proxy ? { proxy } : {}),
      perOriginConnections: perOriginConcurrency,
    });
  const ownsTransport = givenTransport === undefined;
  const permits = new Permits(concurrency, perOriginConcurrency, clock);
  const ctx: DeliveryContext = {
    vapid,
    transport,
    permits,
    policy: new HostPolicy(allowHosts),
    clock,
    pool() {
      pool ??= new EncryptPool({ size: workers });
      return pool;
    },
  };
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    const drop = () => inFlight.delete(promise);
    promise.then(drop, drop);
    return promise;
  };

  /** Validates one message's arguments; throws the programmer errors `send` rejects with. */
  function prepare(
    subscription: PushSubscription | string | object,
    payload: Uint8Array | string,
    base: SendOptions,
    call: SendOptions | undefined,
    resolved?: ResolvedSendOptions,
    encode: (payload: Uint8Array | string) => Uint8Array = payloadBytes,
  ): { target: PushTarget; bytes: Uint8Array; o: ResolvedSendOptions } {
    // The one place a target is parsed for sending.
    const target = resolvePushTarget(subscription, allowHttp);
    const o = call === undefined && resolved ? resolved : resolveSendOptions(base, call);
    const bytes = encode(payload);
    checkPayloadSize(bytes, o);
    return { target, bytes, o };
  }

  const batch: BatchEnvironment = {
    ctx,
    defaults,
    concurrency,
    perOriginConcurrency,
    workers,
    workerThreshold,
    prepare,
    track,
  };

  return {
    async send(subscription, payload, callOptions) {
      if (closed) throw new SenderClosedError();
      const { target, bytes, o } = prepare(subscription, payload, defaults, callOptions);
      return track(deliver(ctx, { target, bytes, o }));
    },

    sendAll(items, batchOptions = {}) {
      if (closed) throw new SenderClosedError();
      return startBatch(batch, items, batchOptions);
    },

    async close() {
      closed = true;
      await Promise.all([...inFlight].map((p) => p.catch(() => {})));
      await Promise.all([pool?.close(), ownsTransport ? transport.close?.() : undefined]);
    },
  };
}
