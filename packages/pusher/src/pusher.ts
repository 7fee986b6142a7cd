import { existsSync } from "node:fs";
import {
  createSender,
  type PushResult,
  type Sender,
  type SendItem,
  type SendOptions,
} from "@swp/sender";
import {
  assertSessionId,
  type CountOptions,
  type StoredSubscription,
  type SubscriptionStore,
} from "@swp/store";
import { base64urlEncode, type PushSubscription, parseSubscription } from "@swp/subscription";
import { createVapid, type VapidKeys, vapidKeysFromBase64Url } from "@swp/vapid";
import { loadOrCreateKeyFile } from "@swp/vapid/node";
import {
  type DistributedNotifyOptions,
  notifyAllDistributed,
  type PusherWorker,
  type PusherWorkerOptions,
  startWorker,
} from "./distributed.ts";
import { PusherError } from "./errors.ts";
import { encodeData, type PushData } from "./lib/encode-data.ts";
import { importOptional } from "./lib/optional-package.ts";
import { PendingQueue } from "./lib/pending-queue.ts";
import { verboseLine } from "./lib/verbose-line.ts";
import { type PusherOptions, type ResolvedPusherOptions, resolveOptions } from "./options.ts";
import type { PushProgress } from "./push-progress.ts";
import { type PushSummary, Tally } from "./summary.ts";

/** A push subscription as the browser sends it: its JSON text or the parsed object. */
export type SubscriptionInput = PushSubscription | string | object;

/**
 * Options of one push call: the per-message options of `@swp/sender` (`ttl`, `urgency`,
 * `topic`, `encoding`, `padding`, `headers`, `timeout`, `retries`, `signal`), which override
 * the `Pusher`'s defaults, and `nonblocking`.
 *
 * @example
 * ```ts
 * await pusher.notify(sessionId, "Build finished", { ttl: 60, urgency: "high" });
 * pusher.notify(sessionId, "Build finished", { nonblocking: true }); // result in wait()
 * ```
 */
export interface PushOptions extends SendOptions {
  /**
   * Return at once (`undefined`) instead of a promise; the result is collected by the next
   * {@link Pusher.wait}. Argument errors (a malformed subscription, an empty session id,
   * data JSON cannot carry) are still thrown at the call. Everything after that, including
   * an unknown session id or a store failure, ends up in `wait()`'s summary, never as an
   * unhandled rejection.
   */
  nonblocking?: boolean;
}

/**
 * Options of {@link Pusher.sendNotificationToAll}.
 *
 * @example
 * ```ts
 * const summary = await pusher.sendNotificationToAll(subscriptions, "hi", {
 *   onResult: (r) => { if (!r.ok) console.warn(r.statusCode, r.reason) },
 *   collectResults: false,
 * });
 * ```
 */
export interface SendToAllOptions extends PushOptions {
  /** Messages in flight at once for this call (default: the `concurrency` option, 64). */
  concurrency?: number;
  /** Called after each answer with the counts so far. An exception it throws is recorded in the summary's `errors`. */
  onProgress?: (progress: PushProgress) => void;
  /** Called with each result as it arrives. An exception it throws is recorded in the summary's `errors`. */
  onResult?: (result: PushResult) => void;
  /**
   * Keep every `PushResult` in the summary's `results` (`true`). With `false` only the
   * counts are kept, so memory stays flat however many subscriptions there are; use
   * `onResult` to look at results as they pass.
   */
  collectResults?: boolean;
}

/**
 * Options of {@link Pusher.notifyAll}.
 *
 * @example
 * ```ts
 * await pusher.notifyAll({ title: "Team news" }, { groupId: 13, except: [mySessionId] });
 * ```
 */
export interface NotifyAllOptions extends SendToAllOptions, DistributedNotifyOptions {
  /** Only the subscriptions of this group (default: every group). */
  groupId?: number;
  /** Session ids to leave out (e.g. the sender's own). Read once, at the call. */
  except?: Iterable<string>;
}

/** Returns standard base64 with padding: what the browser's `atob` decodes. */
function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

function knownSize(items: unknown): number | undefined {
  if (Array.isArray(items)) return items.length;
  const size = (items as { size?: unknown }).size;
  return typeof size === "number" ? size : undefined;
}

function assertGroupId(groupId: unknown): asserts groupId is number {
  if (!Number.isSafeInteger(groupId)) {
    throw new TypeError(
      `groupId must be a safe integer, got ${typeof groupId === "number" ? groupId : typeof groupId}`,
    );
  }
}

/**
 * Web Push for a Node server in a few lines, in the spirit of the Python `solidwebpush`:
 * VAPID keys kept in PEM files (created on first use), subscriptions kept by session id in
 * SQLite (or your own store), and `notify` / `notifyAll` to send.
 *
 * Everything that touches a file or the network is async and lazy: the constructor does no
 * I/O; the keys are loaded (or created) by the first call that needs them, the store is
 * opened by the first call that needs it.
 *
 * Results are never lost: blocking calls resolve with a `PushResult` or a
 * {@link PushSummary}; `{ nonblocking: true }` calls return at once and their results are
 * collected by {@link Pusher.wait}. Subscriptions the push service reports gone (404, 410;
 * RFC 8030 section 7.3) are removed from the store as their answer arrives.
 *
 * @example
 * ```ts
 * import { Pusher } from "@swp/pusher";
 *
 * const pusher = new Pusher({ subject: "mailto:admin@example.com" });
 * console.log(await pusher.getUrlB64PublicKey()); // for pushManager.subscribe()
 *
 * await pusher.newSubscription(sessionId, subscriptionJsonFromTheBrowser);
 * await pusher.notify(sessionId, { title: "Hello", body: "World" });
 * const { sent, gone, failed } = await pusher.notifyAll("Hello everyone");
 * await pusher.close();
 * ```
 */
export class Pusher {
  readonly #options: ResolvedPusherOptions;
  #verbose: boolean;
  #keys: Promise<Readonly<VapidKeys>> | undefined;
  #sender: Promise<Sender> | undefined;
  #store: Promise<SubscriptionStore> | undefined;
  readonly #queue = new PendingQueue();
  /** Every call under way, blocking or not, so that `close()` can let them finish. */
  readonly #active = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;

  /**
   * Creates a pusher; does no I/O. See {@link PusherOptions} for every option.
   *
   * @throws TypeError for an option of the wrong type (named in the message).
   */
  constructor(options: PusherOptions = {}) {
    this.#options = resolveOptions(options);
    this.#verbose = this.#options.verbose;
    if (this.#options.store) this.#store = Promise.resolve(this.#options.store);
  }

  /**
   * Turns verbose mode on or off: one line per push-service answer (status, endpoint
   * origin, reason) through the `log` option, standard error by default.
   *
   * @example
   * ```ts
   * pusher.setVerbose(true); // [swp] 201 https://fcm.googleapis.com sent
   * ```
   */
  setVerbose(on: boolean): void {
    if (typeof on !== "boolean")
      throw new TypeError(`setVerbose expects a boolean, got ${typeof on}`);
    this.#verbose = on;
  }

  // ---------------------------------------------------------------------------------------
  // Keys (RFC 8292 section 3.2): loaded or created on first use, hence async.

  /**
   * The VAPID public key: 65 bytes, an uncompressed P-256 point (RFC 8292 section 3.2).
   * Creates the key files on first use. Returns a copy.
   *
   * @example
   * ```ts
   * const key = await pusher.getPublicKey(); // Uint8Array(65) [4, …]
   * ```
   */
  async getPublicKey(): Promise<Uint8Array> {
    return (await this.#keysForCaller()).publicKey.slice();
  }

  /**
   * The public key in standard base64 with padding, for a browser that decodes it with
   * `atob`.
   *
   * @example
   * ```ts
   * res.end(await pusher.getB64PublicKey());
   * ```
   */
  async getB64PublicKey(): Promise<string> {
    return base64((await this.#keysForCaller()).publicKey);
  }

  /**
   * The public key in base64url without padding: the `applicationServerKey` of
   * `pushManager.subscribe()` (and the `k=` of the VAPID header).
   *
   * @example
   * ```ts
   * const applicationServerKey = await pusher.getUrlB64PublicKey(); // "BN3x…"
   * ```
   */
  async getUrlB64PublicKey(): Promise<string> {
    return base64urlEncode((await this.#keysForCaller()).publicKey);
  }

  /**
   * The VAPID private key: the 32-byte P-256 scalar. A secret: never send or log it.
   * Returns a copy.
   *
   * @example
   * ```ts
   * const privateKey = await pusher.getPrivateKey(); // for a backup, say
   * ```
   */
  async getPrivateKey(): Promise<Uint8Array> {
    return (await this.#keysForCaller()).privateKey.slice();
  }

  /**
   * The private key in standard base64 with padding. A secret.
   *
   * @example
   * ```ts
   * const secret = await pusher.getB64PrivateKey();
   * ```
   */
  async getB64PrivateKey(): Promise<string> {
    return base64((await this.#keysForCaller()).privateKey);
  }

  /**
   * The private key in base64url without padding, the form other Web Push libraries
   * (`web-push`'s `vapidKeys.privateKey`) take. A secret.
   *
   * @example
   * ```ts
   * const secret = await pusher.getUrlB64PrivateKey();
   * ```
   */
  async getUrlB64PrivateKey(): Promise<string> {
    return base64urlEncode((await this.#keysForCaller()).privateKey);
  }

  // ---------------------------------------------------------------------------------------
  // Sending to subscriptions given by the caller.

  /**
   * Sends `data` to one subscription (RFC 8030 section 5, encrypted per RFC 8291, signed
   * per RFC 8292). Resolves with the `PushResult`, whatever the push service answered:
   * a refusal is a result with `ok: false`, not an exception. If the subscription is gone
   * (404/410) and is in the store, it is removed from it.
   *
   * @param subscription The browser's `PushSubscription` JSON text or object.
   * @param data A string, bytes, or any JSON value (sent as its JSON text).
   * @throws SubscriptionError for a malformed subscription, TypeError for data JSON cannot
   *   carry (at the call, also when nonblocking).
   * @example
   * ```ts
   * const result = await pusher.sendNotification(subscriptionJson, "Hello World");
   * if (!result.ok) console.warn(result.statusCode, result.reason);
   * ```
   */
  sendNotification(
    subscription: SubscriptionInput,
    data: PushData,
    options: PushOptions & { nonblocking: true },
  ): void;
  sendNotification(
    subscription: SubscriptionInput,
    data: PushData,
    options?: PushOptions & { nonblocking?: false },
  ): Promise<PushResult>;
  sendNotification(
    subscription: SubscriptionInput,
    data: PushData,
    options?: PushOptions,
  ): Promise<PushResult> | undefined;
  sendNotification(
    subscription: SubscriptionInput,
    data: PushData,
    options: PushOptions = {},
  ): Promise<PushResult> | undefined {
    const { nonblocking, ...send } = options;
    return this.#start(nonblocking === true, true, () => {
      // Syntax only: the sender applies allowHttp and the address rules when it sends.
      const parsed = parseSubscription(subscription);
      const payload = encodeData(data);
      return (async () => {
        const result = await (await this.#getSender()).send(parsed, payload, send);
        return this.#settle(result, await this.#storeForCleanup());
      })();
    });
  }

  /**
   * Sends the same `data` to many subscriptions, through the sender's bounded-concurrency
   * batch. `subscriptions` may be any iterable or async iterable (an array, a generator, a
   * database cursor); it is read as the sends go, never all at once. Resolves with a
   * {@link PushSummary}; a malformed subscription is a failed result in it, not an
   * exception. Gone subscriptions are removed from the store if they are in it.
   *
   * @example
   * ```ts
   * const { sent, failed } = await pusher.sendNotificationToAll([subA, subB], { title: "hi" });
   * ```
   */
  sendNotificationToAll(
    subscriptions: Iterable<SubscriptionInput> | AsyncIterable<SubscriptionInput>,
    data: PushData,
    options: SendToAllOptions & { nonblocking: true },
  ): void;
  sendNotificationToAll(
    subscriptions: Iterable<SubscriptionInput> | AsyncIterable<SubscriptionInput>,
    data: PushData,
    options?: SendToAllOptions & { nonblocking?: false },
  ): Promise<PushSummary>;
  sendNotificationToAll(
    subscriptions: Iterable<SubscriptionInput> | AsyncIterable<SubscriptionInput>,
    data: PushData,
    options?: SendToAllOptions,
  ): Promise<PushSummary> | undefined;
  sendNotificationToAll(
    subscriptions: Iterable<SubscriptionInput> | AsyncIterable<SubscriptionInput>,
    data: PushData,
    options: SendToAllOptions = {},
  ): Promise<PushSummary> | undefined {
    const { nonblocking, onProgress, onResult, collectResults, ...send } = options;
    const collect = collectResults !== false;
    return this.#start(nonblocking === true, collect, () => {
      if (
        subscriptions === null ||
        typeof subscriptions !== "object" ||
        (typeof (subscriptions as Iterable<unknown>)[Symbol.iterator] !== "function" &&
          typeof (subscriptions as AsyncIterable<unknown>)[Symbol.asyncIterator] !== "function")
      ) {
        throw new TypeError("subscriptions must be an iterable or async iterable of subscriptions");
      }
      const payload = encodeData(data);
      const total = knownSize(subscriptions);
      async function* items(): AsyncGenerator<SendItem> {
        for await (const subscription of subscriptions) yield { subscription, payload };
      }
      return (async () =>
        this.#runAll(items(), send, {
          total,
          onProgress,
          onResult,
          collect,
          store: await this.#storeForCleanup(),
        }))();
    });
  }

  // ---------------------------------------------------------------------------------------
  // The store: subscriptions kept by session id.

  /**
   * Stores `subscription` under `sessionId` (a cookie, a user id: 1 to 256 characters) in
   * `groupId`, replacing what that session id had. A subscription already stored under
   * another session id moves to this one, as in the original.
   *
   * @throws SessionIdError for an empty or too long session id; SubscriptionError for a
   *   malformed subscription; TypeError for a group id that is not an integer.
   * @example
   * ```ts
   * await pusher.newSubscription(cookies.session_id, requestBody); // group 0
   * await pusher.newSubscription(bobsTabletSession, subscription, 13); // Bob's group
   * ```
   */
  async newSubscription(
    sessionId: string,
    subscription: SubscriptionInput,
    groupId = 0,
  ): Promise<void> {
    this.#assertOpen();
    await (await this.#getStore()).put(sessionId, subscription, groupId);
  }

  /**
   * Removes the subscription of `sessionId`; resolves true when there was one.
   *
   * @example
   * ```ts
   * await pusher.removeSubscription(cookies.session_id); // on "unsubscribe"
   * ```
   */
  async removeSubscription(sessionId: string): Promise<boolean> {
    this.#assertOpen();
    return (await this.#getStore()).remove(sessionId);
  }

  /**
   * The session id a subscription is stored under, or `undefined`. `subscription` may be
   * its JSON text, the object, or just its endpoint URL.
   *
   * @example
   * ```ts
   * const sessionId = await pusher.getIdSession(subscriptionJson);
   * ```
   */
  async getIdSession(subscription: SubscriptionInput): Promise<string | undefined> {
    this.#assertOpen();
    // The store reads all three forms (JSON text, object, endpoint URL) the same way.
    return (await this.#getStore()).findSessionId(subscription as string | PushSubscription);
  }

  /**
   * The subscription stored under `sessionId` (parsed; `JSON.stringify` it for the
   * original's JSON text), or `undefined`.
   *
   * @example
   * ```ts
   * const subscription = await pusher.getSubscription(sessionId);
   * ```
   */
  async getSubscription(sessionId: string): Promise<PushSubscription | undefined> {
    this.#assertOpen();
    return (await (await this.#getStore()).get(sessionId))?.subscription;
  }

  /**
   * The group `sessionId` belongs to, or `undefined` when it has no subscription.
   *
   * @example
   * ```ts
   * if ((await pusher.getGroupId(sessionId)) === 13) …
   * ```
   */
  async getGroupId(sessionId: string): Promise<number | undefined> {
    this.#assertOpen();
    return (await (await this.#getStore()).get(sessionId))?.groupId;
  }

  /**
   * Every stored subscription (or one group's), read lazily in pages: an addition to the
   * original, for listing and exporting.
   *
   * @example
   * ```ts
   * for await (const { sessionId, groupId } of pusher.listSubscriptions({ groupId: 13 })) …
   * ```
   */
  async *listSubscriptions(
    options: { groupId?: number; except?: Iterable<string> } = {},
  ): AsyncGenerator<StoredSubscription> {
    this.#assertOpen();
    yield* (await this.#getStore()).list(options);
  }

  /**
   * How many subscriptions are stored (in total, or in one group).
   *
   * @example
   * ```ts
   * const subscribers = await pusher.countSubscriptions();
   * ```
   */
  async countSubscriptions(options: CountOptions = {}): Promise<number> {
    this.#assertOpen();
    return (await this.#getStore()).count(options);
  }

  // ---------------------------------------------------------------------------------------
  // Sending to stored subscriptions.

  /**
   * Sends `data` to the subscription stored under `sessionId`; resolves with the
   * `PushResult`. A gone subscription (404/410) is removed from the store.
   *
   * @throws SessionIdError for an empty or too long session id (at the call);
   *   `PusherError` `ERR_PUSHER_UNKNOWN_SESSION`, naming the id, for one with no stored
   *   subscription (a rejection, or an entry in `wait()`'s errors when nonblocking).
   * @example
   * ```ts
   * await pusher.notify(cookies.session_id, { title: "Notification Title", body: "Hello World" });
   * ```
   */
  notify(sessionId: string, data: PushData, options: PushOptions & { nonblocking: true }): void;
  notify(
    sessionId: string,
    data: PushData,
    options?: PushOptions & { nonblocking?: false },
  ): Promise<PushResult>;
  notify(sessionId: string, data: PushData, options?: PushOptions): Promise<PushResult> | undefined;
  notify(
    sessionId: string,
    data: PushData,
    options: PushOptions = {},
  ): Promise<PushResult> | undefined {
    const { nonblocking, ...send } = options;
    return this.#start(nonblocking === true, true, () => {
      assertSessionId(sessionId);
      const payload = encodeData(data);
      return (async () => {
        const store = await this.#getStore();
        const stored = await store.get(sessionId);
        if (!stored) throw unknownSession(sessionId);
        const result = await (await this.#getSender()).send(stored.subscription, payload, send);
        return this.#settle(result, store);
      })();
    });
  }

  /**
   * Sends `data` to every stored subscription, or to one group's, except the session ids
   * in `except`. The store is streamed into the sender's bounded-concurrency batch (the
   * table is never loaded whole), and gone subscriptions are removed as their answers
   * arrive. Resolves with a {@link PushSummary}; each result's `id` is its session id.
   *
   * @example
   * ```ts
   * const { sent, gone, failed } = await pusher.notifyAll("Hello World", {
   *   groupId: 13,
   *   except: [mySessionId],
   *   onProgress: ({ done, total }) => console.log(`${done}/${total}`),
   * });
   * ```
   */
  notifyAll(data: PushData, options: NotifyAllOptions & { nonblocking: true }): void;
  notifyAll(
    data: PushData,
    options?: NotifyAllOptions & { nonblocking?: false },
  ): Promise<PushSummary>;
  notifyAll(data: PushData, options?: NotifyAllOptions): Promise<PushSummary> | undefined;
  notifyAll(data: PushData, options: NotifyAllOptions = {}): Promise<PushSummary> | undefined {
    const { nonblocking, groupId, except, onProgress, onResult, collectResults, ...rest } = options;
    const { distributed, batchSize, leaseSeconds, onBroadcast, ...send } = rest;
    const collect = collectResults !== false;
    return this.#start(nonblocking === true, collect, () => {
      const payload = encodeData(data);
      if (groupId !== undefined) assertGroupId(groupId);
      if (except !== undefined && typeof except?.[Symbol.iterator] !== "function") {
        throw new TypeError("except must be an iterable of session ids");
      }
      // Read once, now: the caller may change the collection while the sends run.
      const exceptSet = new Set(except ?? []);
      if (distributed === true) {
        if (onResult) {
          throw new TypeError(
            "onResult is not available with distributed: true (results stay in the workers)",
          );
        }
        return notifyAllDistributed(this.#options.postgres, payload, {
          groupId,
          except: exceptSet,
          ownStore: this.#options.store !== undefined,
          send,
          onProgress,
          ...(batchSize === undefined ? {} : { batchSize }),
          ...(leaseSeconds === undefined ? {} : { leaseSeconds }),
          ...(onBroadcast === undefined ? {} : { onBroadcast }),
        });
      }
      return (async () => {
        const store = await this.#getStore();
        const total = onProgress ? await countTargets(store, groupId, exceptSet) : undefined;
        const rows = store.list({
          ...(groupId === undefined ? {} : { groupId }),
          except: exceptSet,
        });
        async function* items(): AsyncGenerator<SendItem> {
          for await (const row of rows)
            yield { subscription: row.subscription, payload, id: row.sessionId };
        }
        return this.#runAll(items(), send, {
          total,
          onProgress,
          onResult,
          collect,
          store,
        });
      })();
    });
  }

  /**
   * Runs a worker of distributed broadcasts in this process: it takes batches queued by
   * `notifyAll(data, { distributed: true })` (from any app server), sends them with this
   * pusher's keys and sender options, removes gone subscriptions and records the counts.
   * Needs the `postgres` option and the optional package `@swp/broadcast`. `swp worker` is
   * this method as a command.
   *
   * @example
   * ```ts
   * const pusher = new Pusher({ subject: "mailto:ops@example.com", postgres: process.env.DATABASE_URL });
   * const worker = await pusher.runWorker({ concurrency: 2 });
   * process.on("SIGTERM", async () => { await worker.stop(); await pusher.close(); });
   * ```
   */
  async runWorker(options: PusherWorkerOptions = {}): Promise<PusherWorker> {
    this.#assertOpen();
    return startWorker(this.#options.postgres, () => this.#getSender(), options);
  }

  // ---------------------------------------------------------------------------------------
  // Lifecycle.

  /**
   * Resolves, once they have all settled, with the summary of every nonblocking call made
   * since the previous `wait()`: counts, results, and in `errors` the calls that threw
   * after returning (an unknown session id, a store failure). Never rejects. Calls made
   * while it waits belong to the next `wait()`.
   *
   * @example
   * ```ts
   * for (const id of sessionIds) pusher.notify(id, "hi", { nonblocking: true });
   * const { sent, gone, failed, errors } = await pusher.wait();
   * ```
   */
  wait(): Promise<PushSummary> {
    return this.#queue.wait();
  }

  /**
   * Lets every call under way finish, then closes the HTTP connections and, if the
   * `Pusher` opened it, the store (a store passed in `options.store` is left open). Results
   * of nonblocking calls stay available to `wait()`. Calling it again is harmless; any other
   * call afterwards throws `PusherError` `ERR_PUSHER_CLOSED`.
   *
   * @example
   * ```ts
   * process.on("SIGTERM", () => pusher.close().then(() => process.exit(0)));
   * ```
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      while (this.#active.size > 0) await Promise.all(this.#active);
      const sender = await this.#sender?.catch(() => undefined);
      const store = this.#options.store ? undefined : await this.#store?.catch(() => undefined);
      // Held open while closing: an HTTP/2 session may wait for the peer's acknowledgement on
      // unreferenced handles only, and a script whose last step is `await pusher.close()`
      // would otherwise exit mid-close (status 13, "unsettled top-level await").
      const hold = setInterval(() => {}, 60_000);
      try {
        await Promise.all([sender?.close(), store?.close()]);
      } finally {
        clearInterval(hold);
      }
    })();
    return this.#closing;
  }

  // ---------------------------------------------------------------------------------------
  // Internals.

  #assertOpen(): void {
    if (this.#closing) throw new PusherError("ERR_PUSHER_CLOSED", "this Pusher was closed");
  }

  /**
   * Starts a push call: `begin` checks the arguments (synchronously) and starts the work.
   * Argument errors are thrown when nonblocking (there is no promise to reject) and become
   * a rejection otherwise. The work is tracked for `close()`, and queued for `wait()` when
   * nonblocking.
   */
  #start<T extends PushResult | PushSummary>(
    nonblocking: boolean,
    collect: boolean,
    begin: () => Promise<T>,
  ): Promise<T> | undefined {
    let work: Promise<T>;
    try {
      this.#assertOpen();
      work = begin();
    } catch (error) {
      if (nonblocking) throw error;
      return Promise.reject(error);
    }
    const tracked = work.then(
      () => undefined,
      () => undefined,
    );
    this.#active.add(tracked);
    void tracked.then(() => this.#active.delete(tracked));
    if (!nonblocking) return work;
    this.#queue.add(work, collect);
    return undefined;
  }

  async #keysForCaller(): Promise<Readonly<VapidKeys>> {
    this.#assertOpen();
    return this.#loadKeys();
  }

  /** Internal: no open check, so that calls under way when `close()` begins can finish. */
  #loadKeys(): Promise<Readonly<VapidKeys>> {
    if (!this.#keys) {
      const { keys, keyPath, publicKeyPath } = this.#options;
      const loading =
        keys === undefined
          ? loadOrCreateKeyFile(keyPath, { publicKeyPath })
          : typeof keys.privateKey === "string"
            ? // base64url strings (web-push's form): decoded, and the pair checked, once.
              vapidKeysFromBase64Url(keys as { publicKey: string; privateKey: string })
            : Promise.resolve(keys as Readonly<VapidKeys>);
      // A failed load (a bad key file, a read-only directory) is retried by the next call.
      this.#keys = loading.catch((error: unknown) => {
        this.#keys = undefined;
        throw error;
      });
    }
    return this.#keys;
  }

  #getSender(): Promise<Sender> {
    if (!this.#sender) {
      const { subject, allowLocalSubject, expiration, sender } = this.#options;
      this.#sender = (async () => {
        if (!subject) {
          throw new PusherError(
            "ERR_PUSHER_NO_SUBJECT",
            'no VAPID subject: pass new Pusher({ subject: "mailto:you@example.com" }) or set SWP_SUBJECT (or VAPID_SUBJECT); ' +
              "push services use it to contact you (RFC 8292 section 2.1)",
          );
        }
        const keys = await this.#loadKeys();
        const vapid = createVapid({
          keys,
          subject,
          ...(allowLocalSubject ? { allowLocalSubject } : {}),
          ...(expiration === undefined ? {} : { expiration }),
        });
        return createSender({ ...sender, vapid });
      })().catch((error: unknown) => {
        this.#sender = undefined;
        throw error;
      });
    }
    return this.#sender;
  }

  /**
   * The store: the one given, or the one the options describe, opened on first use. Both
   * built-in stores are optional packages imported here, so that a Pusher given `store`
   * never loads better-sqlite3 or pg (neither need be installed). Transport policy
   * (`allowHttp`, the private-address guard) is the sender's, checked at send time.
   */
  #getStore(): Promise<SubscriptionStore> {
    if (!this.#store && this.#options.postgres) {
      const { postgres } = this.#options;
      this.#store = importOptional<typeof import("@swp/store-postgres")>(
        "@swp/store-postgres",
        "the postgres option",
      )
        .then(({ createPostgresStore }) => createPostgresStore({ ...postgres }))
        .catch((error: unknown) => {
          this.#store = undefined;
          throw error;
        });
    }
    if (!this.#store) {
      const { dbPath, sqlite } = this.#options;
      this.#store = importOptional<typeof import("@swp/store-sqlite")>(
        "@swp/store-sqlite",
        "the default SQLite store (subscriptors.db; or pass your own store)",
      )
        .then(({ createSqliteStore }) => createSqliteStore({ ...sqlite, path: dbPath }))
        .catch((error: unknown) => {
          this.#store = undefined;
          throw error;
        });
    }
    return this.#store;
  }

  /**
   * The store to clean gone subscriptions from after a send to a subscription the caller
   * gave: the store if it is open or was given, or if its file exists. A database is never
   * created just to delete from it.
   */
  async #storeForCleanup(): Promise<SubscriptionStore | undefined> {
    if (this.#store || this.#options.postgres || existsSync(this.#options.dbPath)) {
      return this.#getStore();
    }
    return undefined;
  }

  /** Removes a gone subscription from `store`, and prints the verbose line. */
  async #settle(result: PushResult, store: SubscriptionStore | undefined): Promise<PushResult> {
    let removed = false;
    try {
      if (result.gone && store) removed = await store.removeByEndpoint(result.endpoint);
    } finally {
      this.#logResult(result, removed);
    }
    return result;
  }

  #logResult(result: PushResult, removed: boolean): void {
    if (this.#verbose)
      this.#options.log(verboseLine(result, removed ? "removed from the store" : undefined));
  }

  async #runAll(
    items: AsyncIterable<SendItem>,
    send: SendOptions,
    o: {
      total: number | undefined;
      onProgress: ((progress: PushProgress) => void) | undefined;
      onResult: ((result: PushResult) => void) | undefined;
      collect: boolean;
      store: SubscriptionStore | undefined;
    },
  ): Promise<PushSummary> {
    const sender = await this.#getSender();
    const tally = new Tally(o.collect);
    for await (const result of sender.sendAll(items, send)) {
      let removed = false;
      if (result.gone && o.store) {
        try {
          removed = await o.store.removeByEndpoint(result.endpoint);
        } catch (error) {
          tally.addError(error);
        }
      }
      this.#logResult(result, removed);
      tally.addResult(result);
      try {
        o.onResult?.(result);
        if (o.onProgress) {
          const { total: done, sent, gone, failed } = tally.summary;
          o.onProgress({
            done,
            ...(o.total === undefined ? {} : { total: o.total }),
            sent,
            gone,
            failed,
          });
        }
      } catch (error) {
        tally.addError(error);
      }
    }
    return tally.summary;
  }
}

/**
 * The error of `notify` for a well-formed session id with nothing stored. The id is named
 * (JSON-quoted, so that an odd character shows as an escape), cut at 64 characters.
 */
function unknownSession(sessionId: string): PusherError {
  const shown = sessionId.length > 64 ? `${sessionId.slice(0, 64)}…` : sessionId;
  return new PusherError(
    "ERR_PUSHER_UNKNOWN_SESSION",
    `no subscription is stored for session id ${JSON.stringify(shown)}`,
  );
}

/** How many subscriptions a `notifyAll` will address: the group's count minus the exceptions in it. */
async function countTargets(
  store: SubscriptionStore,
  groupId: number | undefined,
  except: ReadonlySet<string>,
): Promise<number> {
  let total = await store.count(groupId === undefined ? {} : { groupId });
  for (const sessionId of except) {
    const row = await store.get(sessionId).catch(() => undefined);
    if (row && (groupId === undefined || row.groupId === groupId)) total--;
  }
  return Math.max(0, total);
}
