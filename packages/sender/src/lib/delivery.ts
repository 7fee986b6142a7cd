// Delivery of one message: encrypt, sign, then attempts with retries until an answer, a
// failure or the deadline, ending in exactly one PushResult. Everything the message waits
// for listens to its one MessageSignal, so the result comes by the deadline at the latest.

import { isSwpError, type PushTarget } from "@swp/subscription";
import type { Vapid } from "@swp/vapid";
import { BlockedAddressError } from "../errors.ts";
import { asSubscriptionError, assemblePushRequest, type PushRequest } from "../push-request.ts";
import {
  isGoneStatus,
  isRetryableStatus,
  isSuccessStatus,
  type PushResult,
} from "../push-result.ts";
import { detectPushService, type PushService } from "../push-service.ts";
import type { ResolvedSendOptions } from "../send-options.ts";
import type { Transport, TransportResponse } from "../transport.ts";
import { type AttemptError, toAttemptError } from "./attempt-error.ts";
import { MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelay } from "./backoff.ts";
import type { Clock } from "./clock.ts";
import { type EncryptPool, encryptHere, WorkerLostError } from "./encrypt-pool.ts";
import type { EncryptedBody, EncryptJob } from "./encrypt-wire.ts";
import type { HostPolicy } from "./guarded-lookup.ts";
import { MessageSignal } from "./message-signal.ts";
import type { Permit, Permits } from "./permits.ts";
import { parseReason } from "./reason.ts";

/** The reason of a result the caller's signal ended. */
export const ABORTED = "aborted";

/** What a delivery needs from its sender. */
export interface DeliveryContext {
  readonly vapid: Vapid;
  readonly transport: Transport;
  readonly permits: Permits;
  readonly policy: HostPolicy;
  readonly clock: Clock;
  /** The worker pool, started on first use. */
  pool(): EncryptPool;
}

/** One message, ready to deliver. */
export interface DeliveryMessage {
  target: PushTarget;
  bytes: Uint8Array;
  o: ResolvedSendOptions;
  /** A batch's signal, besides the message's own `o.signal`. */
  batchSignal?: AbortSignal | undefined;
  /** Encrypt on the worker threads. */
  onWorkers?: boolean;
  /** Epoch ms the message started (its deadline is `startedAt + o.timeout`). Default now. */
  startedAt?: number;
  /** Called once, when the first request of the message is on the wire. */
  onSent?: (() => void) | undefined;
}

/** A failed result (no answer, or the answer that ended the retries). */
export function failedResult(
  endpoint: string,
  service: PushService,
  attempts: number,
  over: Partial<PushResult>,
): PushResult {
  return { ok: false, statusCode: 0, endpoint, gone: false, attempts, service, ...over };
}

type Attempt =
  | { kind: "answer"; response: TransportResponse }
  /** The message's signal ended it; `started`: the request had been handed to the transport. */
  | { kind: "ended"; started: boolean }
  | { kind: "refused"; error: BlockedAddressError }
  | { kind: "failed"; error: AttemptError };

/** One request: permits, then the transport, all under the message's signal. */
async function attempt(
  ctx: DeliveryContext,
  origin: string,
  path: string,
  request: PushRequest,
  abort: MessageSignal,
  onSent: () => void,
  waitedUntil: number,
): Promise<Attempt> {
  let permit: Permit;
  try {
    const p = ctx.permits.acquire(origin, abort.signal, waitedUntil);
    permit = "release" in p ? p : await p;
  } catch {
    return { kind: "ended", started: false };
  }
  try {
    const response = await ctx.transport.request({
      origin,
      path,
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal: abort.signal,
      onSent: () => {
        permit.sent();
        onSent();
      },
    });
    return { kind: "answer", response };
  } catch (error) {
    if (abort.aborted) return { kind: "ended", started: true };
    if (error instanceof BlockedAddressError) return { kind: "refused", error };
    if (isSwpError(error) && error.code === "ERR_PUSH_BLOCKED_ADDRESS") {
      return { kind: "refused", error: error as BlockedAddressError };
    }
    return { kind: "failed", error: toAttemptError(error) };
  } finally {
    permit.release();
  }
}

/**
 * Delivers one message: exactly one PushResult, by its deadline (`o.timeout` from
 * `startedAt`). Rejects only with a SubscriptionError for a p256dh the encryption refuses.
 */
export async function deliver(ctx: DeliveryContext, m: DeliveryMessage): Promise<PushResult> {
  const { target, bytes, o } = m;
  const { endpoint, url } = target;
  const service = detectPushService(url);
  const abort = new MessageSignal(
    ctx.clock,
    o.timeout,
    m.startedAt ?? ctx.clock.now(),
    o.signal,
    m.batchSignal,
  );
  let attempts = 0;
  let last: PushResult | undefined;
  /** The result of a message its signal ended: the deadline's, or the caller's abort. */
  const ended = (): PushResult => {
    if (!abort.timedOut) return failedResult(endpoint, service, attempts, { reason: ABORTED });
    const reason = (abort.signal.reason as Error).message;
    // A retryable answer before the deadline stays the result, with the deadline said.
    return last
      ? { ...last, reason: `${last.reason ?? `status ${last.statusCode}`}; then ${reason}` }
      : failedResult(endpoint, service, attempts, { reason });
  };
  /** The epoch ms this message already slept to, after a 429 it got itself. */
  let waitedUntil = 0;
  let sentOnce = false;
  const onSent = () => {
    if (sentOnce) return;
    sentOnce = true;
    m.onSent?.();
  };
  try {
    if (abort.aborted) return ended();
    // IP-literal hosts are judged here for every transport (fetch included); names are
    // judged by the Node transport's connect-time lookup.
    const refused = ctx.policy.checkLiteral(url.hostname);
    if (refused) return failedResult(endpoint, service, 0, { reason: refused.message });
    const job: EncryptJob = {
      plaintext: bytes,
      uaPublic: target.uaPublic,
      authSecret: target.authSecret,
      encoding: o.encoding,
      padding: o.padding,
    };
    let encrypted: EncryptedBody;
    try {
      encrypted = await (m.onWorkers ? ctx.pool().encrypt(job, abort.signal) : encryptHere(job));
    } catch (error) {
      if (abort.aborted) return ended();
      if (error instanceof WorkerLostError) {
        return failedResult(endpoint, service, 0, { reason: error.message });
      }
      // A p256dh off the curve is a SubscriptionError, as parseSubscription reports it.
      throw asSubscriptionError(error, target);
    }
    // VAPID stays on this thread: one token per audience, signed once and shared.
    const request = assemblePushRequest(
      target,
      encrypted,
      await ctx.vapid.headers(endpoint, o.encoding),
      o,
      service,
    );
    // URL getters build new strings on every read: read them once per message.
    const origin = url.origin;
    const path = url.pathname + url.search;

    for (;;) {
      if (abort.aborted) return ended();
      attempts++;
      const outcome = await attempt(ctx, origin, path, request, abort, onSent, waitedUntil);
      let retryAfter: number | undefined;
      let pausedTo = 0;
      switch (outcome.kind) {
        case "ended":
          // A timed-out request counts as an attempt; one the caller cancelled, or one that
          // never left its permit queue, does not.
          if (!outcome.started || !abort.timedOut) attempts--;
          return ended();
        case "refused":
          return failedResult(endpoint, service, attempts - 1, {
            reason: outcome.error.message,
          });
        case "failed":
          last = failedResult(endpoint, service, attempts, { reason: outcome.error.message });
          break;
        case "answer": {
          const { statusCode, headers, body } = outcome.response;
          if (isSuccessStatus(statusCode)) {
            return { ok: true, statusCode, endpoint, gone: false, attempts, service };
          }
          retryAfter = parseRetryAfter(headers["retry-after"], ctx.clock.now());
          const reason = parseReason(service, headers, body);
          last = failedResult(endpoint, service, attempts, {
            statusCode,
            gone: isGoneStatus(statusCode),
            ...(retryAfter !== undefined ? { retryAfter } : {}),
            ...(reason !== undefined ? { reason } : {}),
          });
          if (!isRetryableStatus(statusCode)) return last;
          // A 429 slows its whole origin, for every caller: later messages to it wait for
          // the Retry-After too, and hold no permit meanwhile (RFC 8030 section 8.4).
          if (statusCode === 429 && retryAfter !== undefined) {
            pausedTo = ctx.clock.now() + Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS);
            ctx.permits.pause(origin, pausedTo);
          }
          break;
        }
      }
      if (attempts > o.retries) return last;
      const delay = retryDelay(attempts, retryAfter, ctx.clock.random());
      // A wait that would end past the deadline cannot lead to an answer in time.
      if (delay >= abort.remaining()) {
        return {
          ...last,
          reason: `${last.reason ?? `status ${last.statusCode}`}; no time left to retry within the message's ${o.timeout} ms`,
        };
      }
      try {
        await ctx.clock.sleep(delay, abort.signal);
      } catch {
        return ended();
      }
      // Its backoff honoured the Retry-After: the pause it set does not hold it again.
      waitedUntil = pausedTo;
    }
  } finally {
    abort.dispose();
  }
}
