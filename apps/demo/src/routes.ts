/**
 * The demo's API: the public key, subscribe and unsubscribe for this browser's session,
 * send to yourself, send to everyone, and the codelab companion's `send-push-msg`.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { parseSubscription } from "@swp/sender";
import { readJsonBody } from "./body.ts";
import { createDemoMessage } from "./declarative-message.ts";
import type { DemoPusher, DemoPushResult } from "./demo-pusher.ts";
import { assertOwnsEndpoint } from "./endpoint-owner.ts";
import { HttpError } from "./errors.ts";
import { sendJson } from "./lib/respond.ts";
import { describePushFailure } from "./push-failure.ts";
import { ensureSession } from "./session.ts";

/** How long a push service keeps an undelivered demo message: one hour, as the codelab's companion did. */
const TTL = 60 * 60;

/** Longest title and body accepted for a notification (a push payload holds about 4 KB). */
const MAX_TEXT = 1000;

/** What a route handler gets. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  pusher: DemoPusher;
  maxBodyBytes: number;
  /** Writes one line to the server's log (details clients are not told). */
  log: (message: string) => void;
  /** The origin of the page that asked (`http://localhost:8080`), for links in messages. */
  appOrigin: string;
}

type Handler = (ctx: RouteContext) => Promise<void>;

/** Method and handler of each API path. */
export const ROUTES: Readonly<Record<string, { method: "GET" | "POST"; handler: Handler }>> = {
  "/api/vapid-public-key": { method: "GET", handler: vapidPublicKey },
  "/api/subscribe": { method: "POST", handler: subscribe },
  "/api/unsubscribe": { method: "POST", handler: unsubscribe },
  "/api/notify-me": { method: "POST", handler: notifyMe },
  "/api/notify-all": { method: "POST", handler: notifyAll },
  "/api/send-push-msg": { method: "POST", handler: sendPushMsg },
};

/** `GET /api/vapid-public-key` → `{ publicKey }`: base64url, for `applicationServerKey`. */
async function vapidPublicKey({ req, res, pusher }: RouteContext): Promise<void> {
  ensureSession(req, res);
  sendJson(res, 200, { publicKey: await pusher.getUrlB64PublicKey() });
}

/**
 * `POST /api/subscribe` with `{ subscription, groupId? }` (or the bare subscription):
 * stores it under this session. The store keeps an endpoint once: a browser that comes back
 * with a new cookie moves its subscription to the new session, and is not messaged twice,
 * provided it proves it owns the endpoint by sending the same keys (else 409, see
 * `assertOwnsEndpoint`).
 */
async function subscribe({ req, res, pusher, maxBodyBytes }: RouteContext): Promise<void> {
  const sessionId = ensureSession(req, res);
  const body = await readJsonBody(req, maxBodyBytes);
  const subscription = "subscription" in body ? body.subscription : body;
  const groupId = body.groupId ?? 0;
  if (typeof groupId !== "number" || !Number.isSafeInteger(groupId) || groupId < 0) {
    throw new HttpError(400, "ERR_DEMO_BAD_REQUEST", "groupId must be a non-negative integer");
  }
  if (typeof subscription !== "object" || subscription === null) {
    throw new HttpError(400, "ERR_DEMO_BAD_REQUEST", "subscription must be a JSON object");
  }
  // Throws SubscriptionError (answered 400 with the field at fault) before anything is stored.
  const parsed = parseSubscription(subscription);
  await assertOwnsEndpoint(pusher, sessionId, parsed);
  await pusher.newSubscription(sessionId, parsed, groupId);
  sendJson(res, 200, { ok: true });
}

/** `POST /api/unsubscribe`: forgets this session's subscription → `{ removed }`. */
async function unsubscribe({ req, res, pusher, maxBodyBytes }: RouteContext): Promise<void> {
  const sessionId = ensureSession(req, res);
  await readJsonBody(req, maxBodyBytes);
  sendJson(res, 200, { removed: await pusher.removeSubscription(sessionId) });
}

/**
 * `POST /api/notify-me` with `{ title?, body?, declarative? }`: one notification to this
 * session; with `declarative: true`, as a Declarative Web Push message.
 */
async function notifyMe(ctx: RouteContext): Promise<void> {
  const { req, res, pusher, maxBodyBytes, log } = ctx;
  const sessionId = ensureSession(req, res);
  const message = readMessage(await readJsonBody(req, maxBodyBytes), ctx.appOrigin);
  let result: DemoPushResult;
  try {
    result = await pusher.notify(sessionId, message, { ttl: TTL });
  } catch (error) {
    // @swp/pusher's PusherError ERR_PUSHER_UNKNOWN_SESSION; older versions threw
    // SessionIdError for an id with no subscription.
    if (hasCode(error, "ERR_PUSHER_UNKNOWN_SESSION") || isNamed(error, "SessionIdError")) {
      throw new HttpError(
        404,
        "ERR_DEMO_NO_SUBSCRIPTION",
        "this session has no subscription: subscribe first",
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  if (!result.ok) {
    const failure = describePushFailure(result);
    log(failure.log);
    result = { ...result, reason: failure.client };
  }
  sendJson(res, 200, pushResult(result));
}

/**
 * `POST /api/notify-all` with `{ title?, body?, declarative?, groupId? }` →
 * `{ total, sent, gone, failed }`.
 */
async function notifyAll({
  req,
  res,
  pusher,
  maxBodyBytes,
  appOrigin,
}: RouteContext): Promise<void> {
  ensureSession(req, res);
  const body = await readJsonBody(req, maxBodyBytes);
  const message = readMessage(body, appOrigin);
  const { groupId } = body;
  if (groupId !== undefined && (typeof groupId !== "number" || !Number.isSafeInteger(groupId))) {
    throw new HttpError(400, "ERR_DEMO_BAD_REQUEST", "groupId must be an integer");
  }
  const { sent, gone, failed } = await pusher.notifyAll(message, {
    ttl: TTL,
    ...(groupId === undefined ? {} : { groupId }),
  });
  sendJson(res, 200, { total: sent + gone + failed, sent, gone, failed });
}

/**
 * `POST /api/send-push-msg` with `{ subscription, data }`: the codelab companion's
 * endpoint. Sent with this server's own keys: an `applicationKeys` field is ignored, never
 * used. As the companion did, success is `200 { success: true }`, a push service's refusal
 * is passed through (its status and reason), and anything else is 400 with what went wrong
 * (the network's details, such as the address the endpoint resolved to, stay in the log).
 */
async function sendPushMsg({ req, res, pusher, maxBodyBytes, log }: RouteContext): Promise<void> {
  ensureSession(req, res);
  const body = await readJsonBody(req, maxBodyBytes);
  const { subscription, data } = body;
  if (typeof subscription !== "object" || subscription === null) {
    throw new HttpError(400, "ERR_DEMO_BAD_REQUEST", "subscription must be a JSON object");
  }
  if (data !== undefined && typeof data !== "string") {
    throw new HttpError(400, "ERR_DEMO_BAD_REQUEST", "data must be a string");
  }
  const result = await pusher.sendNotification(subscription, data ?? "", { ttl: TTL });
  if (result.ok) {
    sendJson(res, 200, { success: true });
    return;
  }
  const failure = describePushFailure(result);
  log(failure.log);
  const passThrough = result.statusCode >= 400 && result.statusCode <= 599;
  sendJson(res, passThrough ? result.statusCode : 400, { error: failure.client });
}

/**
 * The notification a request asks for: `{ title, body }`, both optional strings, sent as
 * that JSON; or, with `declarative: true`, a Declarative Web Push message of the same text
 * that opens the page of `appOrigin` on a click.
 */
function readMessage(body: Record<string, unknown>, appOrigin: string): object {
  const message: { title?: string; body?: string } = {};
  for (const field of ["title", "body"] as const) {
    const value = body[field];
    if (value === undefined || value === null || value === "") continue;
    if (typeof value !== "string") {
      throw new HttpError(400, "ERR_DEMO_BAD_REQUEST", `${field} must be a string`);
    }
    if (value.length > MAX_TEXT) {
      throw new HttpError(
        400,
        "ERR_DEMO_BAD_REQUEST",
        `${field} is ${value.length} characters; at most ${MAX_TEXT}`,
      );
    }
    message[field] = value;
  }
  const { declarative } = body;
  if (declarative !== undefined && typeof declarative !== "boolean") {
    throw new HttpError(400, "ERR_DEMO_BAD_REQUEST", "declarative must be true or false");
  }
  return declarative === true ? createDemoMessage(message, appOrigin) : message;
}

function pushResult(result: DemoPushResult): DemoPushResult {
  return {
    ok: result.ok,
    statusCode: result.statusCode,
    gone: result.gone,
    ...(result.reason === undefined ? {} : { reason: result.reason }),
  };
}

/** Checks an error's stable `code`, which survives duplicate package copies. */
function hasCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === code;
}

/** Checks an error's class by name, so it works across duplicate package copies. */
export function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
