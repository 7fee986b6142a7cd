// This module is part of the fetch-only entry (fetch-entry.ts): it must reach no node:* module,
// directly or through what it imports (fetch-entry.test.ts walks the built graph). It
// encrypts with @swp/ece itself rather than through lib/encrypt-pool.ts, which imports
// node:worker_threads at the top and so broke `import { buildPushRequest }` on workerd.
import { encrypt, maxPlaintextSize } from "@swp/ece";
import {
  invalidP256dhError,
  isSwpError,
  type PushSubscription,
  type PushTarget,
} from "@swp/subscription";
import type { Vapid } from "@swp/vapid";
import { PayloadTooLargeError } from "./errors.ts";
import { arrayBufferBytes } from "./lib/array-buffer-bytes.ts";
import type { EncryptedBody } from "./lib/encrypt-wire.ts";
import { resolvePushTarget } from "./lib/endpoint-policy.ts";
import { detectPushService, type PushService } from "./push-service.ts";
import { type ResolvedSendOptions, resolveSendOptions, type SendOptions } from "./send-options.ts";

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
  /**
   * The encrypted message. Backed by an `ArrayBuffer` (never a `SharedArrayBuffer`), which is
   * what fetch's `BodyInit` accepts under TypeScript 5.9's DOM types, so `fetch(endpoint, request)`
   * type-checks as is.
   */
  body: Uint8Array<ArrayBuffer>;
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
 * The encryption's refusal of a p256dh that is not on the curve is the subscription's
 * fault: report it as parseSubscription would have. Anything else passes through.
 */
export function asSubscriptionError(error: unknown, target: PushTarget): unknown {
  if (isSwpError(error) && error.code === "ERR_ECE_INVALID_PUBLIC_KEY") {
    return invalidP256dhError(target.uaPublic.length, error);
  }
  return error;
}

/**
 * Sets the RFC 8030 headers around an encrypted body and its VAPID headers (RFC 8292):
 * TTL, Urgency, Topic, Content-Type, the encoding's headers, Authorization and, for WNS,
 * X-WNS-Cache-Policy. `service` is the target's push service, for callers that know it already.
 */
export function assemblePushRequest(
  target: PushTarget,
  encrypted: EncryptedBody,
  vapidHeaders: Readonly<Record<string, string>>,
  o: ResolvedSendOptions,
  service: PushService = detectPushService(target.url),
): PushRequest {
  const headers: Record<string, string> = { ...o.headers, TTL: String(o.ttl) };
  if (o.urgency !== undefined) headers.Urgency = o.urgency;
  if (o.topic !== undefined) headers.Topic = o.topic;
  headers["Content-Type"] = "application/octet-stream";
  let cryptoKey: string | undefined;
  for (const name in encrypted.headers) {
    const value = encrypted.headers[name]!;
    if (name.toLowerCase() === "crypto-key") cryptoKey = value;
    else headers[name] = value;
  }
  for (const name in vapidHeaders) {
    const value = vapidHeaders[name]!;
    // aesgcm carries the sender key (dh=) and the VAPID key (p256ecdsa=) in one Crypto-Key
    // header, separated by ";" (draft-ietf-webpush-encryption-04, draft-ietf-webpush-vapid-01).
    if (name.toLowerCase() === "crypto-key")
      cryptoKey = cryptoKey ? `${cryptoKey};${value}` : value;
    else headers[name] = value;
  }
  if (cryptoKey) headers["Crypto-Key"] = cryptoKey;
  // WNS answers 400 unless told whether it may cache the message while the device is
  // offline; follow the TTL.
  if (service === "wns") {
    headers["X-WNS-Cache-Policy"] = o.ttl > 0 ? "cache" : "no-cache";
  }
  return {
    endpoint: target.endpoint,
    method: "POST",
    headers,
    body: arrayBufferBytes(encrypted.body),
  };
}

/**
 * Builds the request for a checked subscription and validated options on this thread:
 * encrypts (RFC 8291), signs (RFC 8292) and sets the RFC 8030 headers. Rejects with
 * SubscriptionError when p256dh is not on the curve.
 */
export async function preparePushRequest(
  target: PushTarget,
  bytes: Uint8Array,
  o: ResolvedSendOptions,
  vapid: Vapid,
): Promise<PushRequest> {
  let encrypted: EncryptedBody;
  try {
    encrypted = await encrypt(bytes, {
      uaPublic: target.uaPublic,
      authSecret: target.authSecret,
      encoding: o.encoding,
      padding: o.padding,
    });
  } catch (error) {
    throw asSubscriptionError(error, target);
  }
  return assemblePushRequest(
    target,
    encrypted,
    await vapid.headers(target.endpoint, o.encoding),
    o,
  );
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
  const target = resolvePushTarget(subscription, options.allowHttp === true);
  const resolved = resolveSendOptions(undefined, options);
  const bytes = payloadBytes(payload);
  checkPayloadSize(bytes, resolved);
  return preparePushRequest(target, bytes, resolved, options.vapid);
}
