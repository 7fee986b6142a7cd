/**
 * The part of `@swp/pusher`'s `Pusher` the demo server uses, as a structural interface
 * (the server takes any object with these methods; `main.ts` gives it a real `Pusher`).
 *
 * @module
 */

/** What one push answered, as the demo reports it (a subset of `@swp/sender`'s `PushResult`). */
export interface DemoPushResult {
  ok: boolean;
  statusCode: number;
  gone: boolean;
  reason?: string;
  /** The endpoint addressed (its origin goes to the log when the push failed). */
  endpoint?: string;
}

/** A stored subscription, as `PushSubscription.toJSON()` gives it (keys in base64url). */
export interface DemoSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** The counts of a send to many (`Pusher.notifyAll`). */
export interface DemoPushSummary {
  sent: number;
  gone: number;
  failed: number;
}

/** The methods of `Pusher` the demo calls, with the shapes of `@swp/pusher`. */
export interface DemoPusher {
  getUrlB64PublicKey(): Promise<string>;
  newSubscription(
    sessionId: string,
    subscription: object | string,
    groupId?: number,
  ): Promise<void>;
  removeSubscription(sessionId: string): Promise<boolean>;
  /** The session a subscription (or its endpoint URL) is stored under, if any. */
  getIdSession(subscription: string | DemoSubscription): Promise<string | undefined>;
  /** The subscription stored under `sessionId`, if any. */
  getSubscription(sessionId: string): Promise<DemoSubscription | undefined>;
  notify(
    sessionId: string,
    data: string | object,
    options?: { ttl?: number },
  ): Promise<DemoPushResult>;
  notifyAll(
    data: string | object,
    options?: { groupId?: number; ttl?: number },
  ): Promise<DemoPushSummary>;
  sendNotification(
    subscription: object | string,
    data: string | object,
    options?: { ttl?: number },
  ): Promise<DemoPushResult>;
  close(): Promise<void>;
}
