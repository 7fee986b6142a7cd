// One bench client, run in a child process by send-all.ts: either @swp/sender's sendAll or
// web-push's sendNotification with a fixed number of requests in flight.

import { Agent } from "node:https";
import { createSender, type PushSubscription, type SendItem } from "@swp/sender";
import { createVapid, vapidKeysFromBase64Url } from "@swp/vapid";
import webpush from "web-push";

interface Args {
  client: "swp" | "web-push";
  origin: string;
  ca: string;
  subscriptions: PushSubscription[];
  keys: { publicKey: string; privateKey: string };
  inFlight: number;
  messages: number;
  budgetMs?: number;
}

const args = JSON.parse(process.argv[2]!) as Args;
const subject = "mailto:bench@example.com";
const payload = (i: number) => JSON.stringify({ title: "Bench", body: `message ${i}`, n: i });

async function swp(): Promise<{ sent: number; failed: number; seconds: number }> {
  const vapid = createVapid({ keys: await vapidKeysFromBase64Url(args.keys), subject });
  const sender = createSender({
    vapid,
    ca: args.ca,
    allowHosts: ["127.0.0.1"],
    concurrency: args.inFlight,
    perOriginConcurrency: args.inFlight,
  });
  function* items(n: number, offset = 0): Generator<SendItem> {
    for (let i = 0; i < n; i++) {
      yield {
        subscription: args.subscriptions[i % args.subscriptions.length]!,
        payload: payload(offset + i),
      };
    }
  }
  await sender.sendAll(items(1000)).summary; // warm-up: connections, JIT
  cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await sender.sendAll(items(args.messages, 1000)).summary;
  const seconds = (performance.now() - t0) / 1000;
  await sender.close();
  return { sent: summary.sent, failed: summary.total - summary.sent, seconds };
}

async function baseline(): Promise<{ sent: number; failed: number; seconds: number }> {
  // Node 20's global agent keeps connections alive; this one does too, and trusts the
  // fake service's certificate.
  const agent = new Agent({ ca: args.ca, keepAlive: true });
  const options = {
    vapidDetails: { subject, publicKey: args.keys.publicKey, privateKey: args.keys.privateKey },
    agent,
    TTL: 60,
  };
  const run = async (n: number, offset: number, budgetMs: number) => {
    let next = 0;
    let sent = 0;
    let failed = 0;
    const deadline = performance.now() + budgetMs;
    const worker = async () => {
      while (next < n && performance.now() < deadline) {
        const i = next++;
        try {
          await webpush.sendNotification(
            args.subscriptions[i % args.subscriptions.length]!,
            payload(offset + i),
            options,
          );
          sent++;
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: args.inFlight }, worker));
    return { sent, failed };
  };
  await run(500, 0, 10_000); // warm-up
  cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { sent, failed } = await run(args.messages, 500, args.budgetMs ?? Number.POSITIVE_INFINITY);
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { sent, failed, seconds };
}

let cpu0 = process.cpuUsage();
const r = args.client === "swp" ? await swp() : await baseline();
const cpu = process.cpuUsage(cpu0);
process.send?.({
  client: args.client === "swp" ? "@swp/sender sendAll" : "web-push sendNotification",
  ...r,
  perSecond: r.sent / r.seconds,
  cpuMicrosPerMessage: (cpu.user + cpu.system) / (r.sent + r.failed),
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
});
process.disconnect?.();
