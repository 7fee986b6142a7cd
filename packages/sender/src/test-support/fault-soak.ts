// A seeded fault soak: N messages through sendAll over HTTP/2 to two fake push services that
// drop connections, reset streams (NO_ERROR, REFUSED_STREAM, CANCEL), answer 429 and stall,
// at random but reproducibly. Used by sender-soak.test.ts (2,000 messages) and
// bench/fault-soak.ts (10,000). It counts what a user must be able to rely on: one result
// per message, every delivered message at the service once, a reason on every failure.

import { type FakePushService, type ScriptedAnswer, startFakePushService } from "@swp/testing";
import type { PushResult } from "../push-result.ts";
import type { SendItem } from "../send-all.ts";
import { createSender } from "../sender.ts";
import { testVapid } from "./fixtures.ts";

export interface SoakReport {
  messages: number;
  seed: number;
  delivered: number;
  failed: number;
  /** Failed results by the first word of their reason ("timeout", "connection-lost", …). */
  failedBy: Record<string, number>;
  /** Failed results with no reason (must be 0). */
  withoutReason: number;
  /** Messages with no result (must be 0). */
  lost: number;
  /** Messages with more than one result (must be 0). */
  duplicatedResults: number;
  /** Delivered messages the services did not record (must be 0). */
  deliveredButMissing: number;
  /** Messages the services recorded more than once (at-least-once delivery allows it). */
  duplicatedAtService: number;
  /** HTTP attempts over all results. */
  attempts: number;
  /** Faults the services played, by kind. */
  faults: Record<string, number>;
  elapsedMs: number;
}

/** mulberry32: a small seeded PRNG, so a failing soak can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per request: 0.2% connection drops, 3% stream resets, 3% 429s, 0.5% stalls. */
function faultScript(random: () => number, faults: Record<string, number>): ScriptedAnswer {
  return () => {
    const r = random();
    const count = (kind: string, answer: ScriptedAnswer): ScriptedAnswer => {
      faults[kind] = (faults[kind] ?? 0) + 1;
      return answer;
    };
    if (r < 0.002) return count("destroy", "destroy");
    if (r < 0.012) return count("rst 0", { rstStream: 0 });
    if (r < 0.022) return count("rst 7", { rstStream: 7 });
    if (r < 0.032) return count("rst 8", { rstStream: 8 });
    // A 429 with Retry-After pauses the whole origin: keep those rare and short.
    if (r < 0.034) return count("429 retry-after", { status: 429, retryAfter: 1 });
    if (r < 0.062) return count("429", 429);
    if (r < 0.067) return count("stall", "stall");
    return "accept";
  };
}

/** Runs the soak; `timeout` is each message's (stalled attempts use it up). */
export async function runFaultSoak(
  messages: number,
  seed = 15,
  timeout = 4000,
  onProgress?: (results: number, requests: number) => void,
): Promise<SoakReport> {
  const { vapid, keys } = await testVapid();
  const services: FakePushService[] = await Promise.all([
    startFakePushService(),
    startFakePushService(),
  ]);
  const random = prng(seed);
  const faults: Record<string, number> = {};
  const script = faultScript(random, faults);
  // One scripted answer per request, retries included: three per message is plenty.
  for (const service of services) {
    service.script("*", ...Array.from({ length: messages * 3 }, () => script));
  }
  const subscriptions = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      services[i % 2]!.subscribe({ applicationServerKey: keys.publicKey }),
    ),
  );
  const sender = createSender({
    vapid,
    ca: services[0]!.ca,
    allowHosts: ["127.0.0.1"],
    timeout,
    workers: 0,
  });
  const started = performance.now();
  const results = new Map<number, PushResult[]>();
  const progress =
    onProgress &&
    setInterval(
      () =>
        onProgress(
          results.size,
          services.reduce((n, s) => n + s.requestCount, 0),
        ),
      5000,
    );
  try {
    const items = function* (): Generator<SendItem> {
      for (let i = 0; i < messages; i++) {
        yield { subscription: subscriptions[i % subscriptions.length]!, payload: `m${i}`, id: i };
      }
    };
    for await (const r of sender.sendAll(items())) {
      const list = results.get(r.id as number) ?? [];
      list.push(r);
      results.set(r.id as number, list);
    }
  } finally {
    if (progress) clearInterval(progress);
    await sender.close();
  }
  const elapsedMs = Math.round(performance.now() - started);
  const seen = new Map<string, number>();
  for (const service of services) {
    for (const m of service.messages) seen.set(m.text, (seen.get(m.text) ?? 0) + 1);
  }
  await Promise.all(services.map((s) => s.close()));

  const report: SoakReport = {
    messages,
    seed,
    delivered: 0,
    failed: 0,
    failedBy: {},
    withoutReason: 0,
    lost: 0,
    duplicatedResults: 0,
    deliveredButMissing: 0,
    duplicatedAtService: [...seen.values()].filter((n) => n > 1).length,
    attempts: 0,
    faults,
    elapsedMs,
  };
  for (let i = 0; i < messages; i++) {
    const list = results.get(i);
    if (!list) {
      report.lost++;
      continue;
    }
    if (list.length > 1) report.duplicatedResults++;
    const r = list[0]!;
    report.attempts += r.attempts;
    if (r.ok) {
      report.delivered++;
      if (!seen.has(`m${i}`)) report.deliveredButMissing++;
    } else {
      report.failed++;
      if (!r.reason) report.withoutReason++;
      const word = r.reason?.split(/[:;\s]/, 1)[0] ?? "(none)";
      const key = r.statusCode ? `status ${r.statusCode}` : word;
      report.failedBy[key] = (report.failedBy[key] ?? 0) + 1;
    }
  }
  return report;
}
