/**
 * What the Firefox push server saw, as a list of events that tests read or wait for.
 *
 * @module
 */

/** How Firefox answered one notification (its ack code, see `ACK_CODES`). */
export type AckOutcome = "delivered" | "decryption-failed" | "not-delivered" | "unknown";

/** Fields every event has. */
interface EventBase {
  /** When it happened, from the server's clock (ms since epoch). */
  at: number;
}

/** Firefox connected and said hello; `uaid` is the id the server answered with. */
export interface HelloEvent extends EventBase {
  type: "hello";
  uaid: string;
  /** True when Firefox presented this uaid itself (it already had subscriptions). */
  resumed: boolean;
}

/** Firefox registered a subscription (`pushManager.subscribe`). */
export interface RegisterEvent extends EventBase {
  type: "register";
  uaid: string;
  channelID: string;
  /** The push endpoint handed to Firefox (what `subscription.endpoint` will be). */
  endpoint: string;
  /** The applicationServerKey (65 bytes), when the page gave one. */
  applicationServerKey: Uint8Array | undefined;
}

/** Firefox dropped a subscription (`subscription.unsubscribe()`, revoked permission, …). */
export interface UnregisterEvent extends EventBase {
  type: "unregister";
  uaid: string;
  channelID: string;
  /** Firefox's reason: 200 manual, 201 quota exceeded, 202 permission revoked. */
  code: number | undefined;
}

/** A push message was accepted on the HTTPS endpoint (RFC 8030 POST, VAPID verified). */
export interface PushEvent extends EventBase {
  type: "push";
  channelID: string;
  /** The message id sent to Firefox as `version`; its ack carries the same value. */
  version: string;
  endpoint: string;
  /** `Content-Encoding` of the body, undefined for an empty body. */
  encoding: string | undefined;
  /** Size of the encrypted body in bytes. */
  bodySize: number;
  /** The `TTL` header in seconds. */
  ttl: number;
  /** The verified VAPID claims, when the request carried VAPID. */
  claims: { aud: string; exp: number; sub?: string } | undefined;
  /** "sent" when Firefox was connected, "queued" until it reconnects, "dropped" for TTL 0 while offline. */
  delivery: "sent" | "queued" | "dropped";
}

/** A push request was refused; `statusCode` and `reason` are what the sender got back. */
export interface RejectedEvent extends EventBase {
  type: "rejected";
  endpoint: string;
  statusCode: number;
  reason: string;
}

/** Firefox acknowledged a notification: delivered to the service worker, or why not. */
export interface AckEvent extends EventBase {
  type: "ack";
  channelID: string;
  version: string;
  code: number | undefined;
  outcome: AckOutcome;
}

/** Firefox reported a delivery error after the ack (the service worker threw or rejected). */
export interface NackEvent extends EventBase {
  type: "nack";
  version: string;
  code: number | undefined;
}

/** Everything the Firefox push server records, in order, on `server.events`. */
export type FirefoxPushEvent =
  | HelloEvent
  | RegisterEvent
  | UnregisterEvent
  | PushEvent
  | RejectedEvent
  | AckEvent
  | NackEvent;

/** The `type` of each {@link FirefoxPushEvent}. */
export type FirefoxPushEventType = FirefoxPushEvent["type"];

/** Options of `server.waitFor`. */
export interface WaitForOptions<E> {
  /** Only an event for which this returns true counts. */
  match?: (event: E) => boolean;
  /** Rejects after this many milliseconds (default 30 000) with the events seen so far. */
  timeout?: number;
}

interface Waiter {
  test(event: FirefoxPushEvent): boolean;
  resolve(event: FirefoxPushEvent): void;
}

/**
 * The event list and its waiters. `waitFor` looks at events already recorded first, so
 * a test never misses one that happened before it started waiting.
 */
export class EventLog {
  readonly events: FirefoxPushEvent[] = [];
  #waiters = new Set<Waiter>();

  record(event: FirefoxPushEvent): void {
    this.events.push(event);
    for (const waiter of this.#waiters) {
      if (waiter.test(event)) {
        this.#waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  }

  waitFor<T extends FirefoxPushEventType>(
    type: T,
    o: WaitForOptions<Extract<FirefoxPushEvent, { type: T }>> = {},
  ): Promise<Extract<FirefoxPushEvent, { type: T }>> {
    type E = Extract<FirefoxPushEvent, { type: T }>;
    const test = (event: FirefoxPushEvent): boolean =>
      event.type === type && (o.match === undefined || o.match(event as E));
    const seen = this.events.find(test);
    if (seen !== undefined) return Promise.resolve(seen as E);
    const timeout = o.timeout ?? 30_000;
    return new Promise<E>((resolve, reject) => {
      const waiter: Waiter = {
        test,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event as E);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const seenTypes = this.events.map((e) => e.type).join(", ") || "none";
        reject(
          new Error(
            `Firefox push server: no matching "${type}" event within ${timeout} ms (events so far: ${seenTypes})`,
          ),
        );
      }, timeout);
      // A forgotten waiter must not keep a test process alive.
      timer.unref?.();
      this.#waiters.add(waiter);
    });
  }
}
