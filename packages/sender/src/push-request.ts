import { encrypt, maxPlaintextSize } from "@swp/ece";
import type { Vapid } from "@swp/vapid";
import { PayloadTooLargeError } from "./errors.ts";
import { decodeBase64Url } from "./lib/base64url.ts";
import { detectPushService } from "./push-service.ts";
import { type ResolvedSendOptions, resolveSendOptions, type SendOptions } from "./send-options.ts";
import { type PushSubscription, parseSubscription } from "./subscription.ts";

/**
 * A ready-to-send Web Push request (RFC 8030 section 5): POST `body` with `headers` to
 * `endpoint`, with any HTTP client.
 *
 * @example
 * ```ts
 * const { endpoint, method, headers, body } = await buildPushRequest(sub, "hi", { vapid })
 * const response = await fetch(endpoint, { method, headers, body })
 * ```
 */
export interface PushRequest {
  endpoint: string;
  method: "POST";
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * Options of {@link buildPushRequest}: the send options plus the VAPID signer.
 *
 * @example
 * ```ts
 * const o: BuildPushRequestOptions = { vapid, ttl: 60, urgency: "high" }
 * ```
 */
export interface BuildPushRequestOptions extends SendOptions {
  /** Signs the request (RFC 8292), from `createVapid` of `@swp/vapid`. */
  vapid: Vapid;
  /** Accept an `http:` endpoint (tests). Default false. */
  allowHttp?: boolean;
}

const encoder = new TextEncoder();

/** The payload as bytes (strings as UTF-8). */
export function payloadBytes(payload: Uint8Array | string): Uint8Array {
  if (typeof payload === "string") return encoder.encode(payload);
  if (payload instanceof Uint8Array) return payload;
  throw new TypeError(`payload must be a string or a Uint8Array, got ${typeof payload}`);
}

/** Refuses payloads that do not fit one push message, before any I/O (RFC 8291 section 4). */
export function checkPayloadSize(bytes: Uint8Array, o: ResolvedSendOptions): void {
  const limit = maxPlaintextSize(o.encoding, o.padding);
  if (bytes.length > limit)
    throw new PayloadTooLargeError(bytes.length, Math.max(0, limit), o.encoding);
}

/**
 * Builds the request for an already parsed subscription and validated options: encrypts
 * (RFC 8291), signs (RFC 8292) and sets the RFC 8030 headers.
 */
export async function preparePushRequest(
  subscription: PushSubscription,
  bytes: Uint8Array,
  o: ResolvedSendOptions,
  vapid: Vapid,
): Promise<PushRequest> {
  // Both keys were validated by parseSubscription, so decoding cannot fail here.
  const uaPublic = decodeBase64Url(subscription.keys.p256dh)!;
  const authSecret = decodeBase64Url(subscription.keys.auth)!;
  const [encrypted, vapidHeaders] = await Promise.all([
    encrypt(bytes, { uaPublic, authSecret, encoding: o.encoding, padding: o.padding }),
    vapid.headers(subscription.endpoint, o.encoding),
  ]);
  const headers: Record<string, string> = { ...o.headers, TTL: String(o.ttl) };
  if (o.urgency !== undefined) headers.Urgency = o.urgency;
  if (o.topic !== undefined) headers.Topic = o.topic;
  headers["Content-Type"] = "application/octet-stream";
  for (const [name, value] of Object.entries(encrypted.headers)) {
    if (name.toLowerCase() !== "crypto-key") headers[name] = value;
  }
  // aesgcm carries the sender key (dh=) and the VAPID key (p256ecdsa=) in one Crypto-Key
  // header, separated by ";" (draft-ietf-webpush-encryption-04, draft-ietf-webpush-vapid-01).
  const cryptoKey = [encrypted.headers["Crypto-Key"], vapidHeaders["Crypto-Key"]]
    .filter((v): v is string => !!v)
    .join(";");
  if (cryptoKey) headers["Crypto-Key"] = cryptoKey;
  for (const [name, value] of Object.entries(vapidHeaders)) {
    if (name.toLowerCase() !== "crypto-key") headers[name] = value;
  }
  // WNS answers 400 unless told whether it may cache the message while the device is
  // offline; follow the TTL.
  if (detectPushService(subscription.endpoint) === "wns") {
    headers["X-WNS-Cache-Policy"] = o.ttl > 0 ? "cache" : "no-cache";
  }
  return { endpoint: subscription.endpoint, method: "POST", headers, body: encrypted.body };
}

/**
 * Builds a Web Push request without sending it: validates the subscription and options,
 * encrypts the payload (RFC 8291 `aes128gcm`, or legacy `aesgcm`), signs it with VAPID
 * (RFC 8292) and sets `TTL`, `Urgency`, `Topic`, `Content-Type`, `Content-Encoding` (plus
 * `Encryption`/`Crypto-Key` for aesgcm), `Authorization` and, for WNS,
 * `X-WNS-Cache-Policy`. Use it with any HTTP client (fetch in a Worker, …). Rejects with
 * `SubscriptionError`, `PayloadTooLargeError` or `InvalidOptionError` for bad arguments.
 *
 * @example
 * ```ts
 * import { createVapid } from "@swp/vapid"
 * import { buildPushRequest } from "@swp/sender"
 * const vapid = createVapid({ keys, subject: "mailto:ops@example.com" })
 * const request = await buildPushRequest(subscription, JSON.stringify({ title: "Hi" }), { vapid, ttl: 3600 })
 * const response = await fetch(request.endpoint, request)
 * ```
 */
export async function buildPushRequest(
  subscription: PushSubscription | string | object,
  payload: Uint8Array | string,
  options: BuildPushRequestOptions,
): Promise<PushRequest> {
  const parsed = parseSubscription(subscription, { allowHttp: options.allowHttp === true });
  const resolved = resolveSendOptions(undefined, options);
  const bytes = payloadBytes(payload);
  checkPayloadSize(bytes, resolved);
  return preparePushRequest(parsed, bytes, resolved, options.vapid);
}
