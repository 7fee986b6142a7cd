/**
 * A `DemoPusher` in memory for tests of the server's own rules (origins, errors, endpoint
 * ownership) that need no push service: subscriptions kept in a map, one endpoint per
 * session as `@swp/pusher` keeps them, sends answered by a result the test chooses.
 */

import type { DemoPusher, DemoPushResult, DemoSubscription } from "../demo-pusher.ts";

export class MemoryPusher implements DemoPusher {
  readonly rows = new Map<string, DemoSubscription>();
  readonly sent: { endpoint: string; data: string | object }[] = [];
  /** What every send answers; the endpoint is filled in. */
  answer: Omit<DemoPushResult, "endpoint"> = { ok: true, statusCode: 201, gone: false };

  async getUrlB64PublicKey(): Promise<string> {
    return "BPublicKeyForTests";
  }

  async newSubscription(sessionId: string, subscription: object | string): Promise<void> {
    const parsed = (
      typeof subscription === "string" ? JSON.parse(subscription) : subscription
    ) as DemoSubscription;
    // As the real store: an endpoint is kept once, under the session that stored it last.
    for (const [id, row] of this.rows) {
      if (row.endpoint === parsed.endpoint) this.rows.delete(id);
    }
    this.rows.set(sessionId, { endpoint: parsed.endpoint, keys: { ...parsed.keys } });
  }

  async removeSubscription(sessionId: string): Promise<boolean> {
    return this.rows.delete(sessionId);
  }

  async getIdSession(subscription: string | DemoSubscription): Promise<string | undefined> {
    const endpoint = typeof subscription === "string" ? subscription : subscription.endpoint;
    for (const [id, row] of this.rows) if (row.endpoint === endpoint) return id;
    return undefined;
  }

  async getSubscription(sessionId: string): Promise<DemoSubscription | undefined> {
    return this.rows.get(sessionId);
  }

  async notify(sessionId: string, data: string | object): Promise<DemoPushResult> {
    const row = this.rows.get(sessionId);
    if (row === undefined) {
      // As @swp/pusher: PusherError ERR_PUSHER_UNKNOWN_SESSION, naming the id.
      const error = new Error(`no subscription is stored for session id "${sessionId}"`);
      error.name = "PusherError";
      throw Object.assign(error, { code: "ERR_PUSHER_UNKNOWN_SESSION" });
    }
    return this.send(row.endpoint, data);
  }

  async notifyAll(data: string | object): Promise<{ sent: number; gone: number; failed: number }> {
    let sent = 0;
    for (const row of this.rows.values()) {
      if ((await this.send(row.endpoint, data)).ok) sent++;
    }
    return { sent, gone: 0, failed: this.rows.size - sent };
  }

  async sendNotification(subscription: object | string, data: string | object) {
    const { endpoint } = (
      typeof subscription === "string" ? JSON.parse(subscription) : subscription
    ) as DemoSubscription;
    return this.send(endpoint, data);
  }

  async close(): Promise<void> {}

  private async send(endpoint: string, data: string | object): Promise<DemoPushResult> {
    this.sent.push({ endpoint, data });
    return { ...this.answer, endpoint };
  }
}
