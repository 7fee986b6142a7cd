// Section 2, one client of the broadcast: sends `messages` messages, each to its own
// endpoint on the fake push service, 64 in flight, after a warm-up of 1,000 (connections,
// JIT, worker start-up) that is not counted. Reports messages/s, CPU per message (every
// thread of this process) and peak RSS.
//   swp       @swp/sender sendAll over a generator (read lazily), `workers` encryption threads
//             (0: everything on the main thread)
//   web-push  web-push sendNotification, 64 concurrent loops, keep-alive https.Agent

import { Agent } from "node:https";
import type * as Sender from "../../packages/sender/src/index.ts";
import type * as Vapid from "../../packages/vapid/src/index.ts";
import { childArgs } from "./child-args.ts";
import { PAYLOAD, type ReceiverKeys } from "./receivers.ts";
import { load } from "./workspace.ts";

interface Args {
  client: "swp" | "web-push";
  workers?: number;
  origin: string;
  ca: string;
  keys: ReceiverKeys[];
  vapidKeys: { publicKey: string; privateKey: string };
  messages: number;
  inFlight: number;
}
const args = await childArgs<Args>();
const subject = "mailto:bench@example.com";
const WARM_UP = 1000;

function subscription(i: number) {
  return { endpoint: `${args.origin}/push/b${i}`, keys: args.keys[i % args.keys.length]! };
}

let done = 0;
const ticker = setInterval(() => {
  process.send?.({
    progress: `${done.toLocaleString("en-US")}/${args.messages.toLocaleString("en-US")} messages`,
  });
}, 1000);

async function swp(): Promise<{ sent: number; failed: number }> {
  const { createSender } = await load<typeof Sender>("pusher", "@swp/sender");
  const { createVapid, vapidKeysFromBase64Url } = await load<typeof Vapid>("sender", "@swp/vapid");
  const sender = createSender({
    vapid: createVapid({ keys: await vapidKeysFromBase64Url(args.vapidKeys), subject }),
    ca: args.ca,
    allowHosts: ["127.0.0.1"],
    concurrency: args.inFlight,
    perOriginConcurrency: args.inFlight,
    // No workers given: the sender's default (one per core but one).
    ...(args.workers === undefined ? {} : { workers: args.workers }),
    ttl: 60,
  });
  function* items(n: number, offset: number): Generator<Sender.SendItem> {
    for (let i = 0; i < n; i++) yield { subscription: subscription(offset + i), payload: PAYLOAD };
  }
  await sender.sendAll(items(WARM_UP, 0)).summary;
  start();
  let sent = 0;
  let failed = 0;
  for await (const r of sender.sendAll(items(args.messages, WARM_UP))) {
    done++;
    if (r.ok) sent++;
    else failed++;
  }
  stop();
  await sender.close();
  return { sent, failed };
}

async function webPush(): Promise<{ sent: number; failed: number }> {
  const { default: webpush } = await load<{
    default: { sendNotification(s: unknown, p: string, o: unknown): Promise<unknown> };
  }>("sender", "web-push");
  // Node 20's global agent keeps connections alive; this one does too, and trusts the
  // fake service's certificate.
  const agent = new Agent({ ca: args.ca, keepAlive: true });
  const options = {
    vapidDetails: { subject, ...args.vapidKeys },
    agent,
    TTL: 60,
  };
  let sent = 0;
  let failed = 0;
  const run = async (n: number, offset: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: args.inFlight }, async () => {
        while (next < n) {
          const i = next++;
          try {
            await webpush.sendNotification(subscription(offset + i), PAYLOAD, options);
            sent++;
          } catch {
            failed++;
          }
          done++;
        }
      }),
    );
  };
  await run(WARM_UP, 0);
  sent = failed = done = 0;
  start();
  await run(args.messages, WARM_UP);
  stop();
  agent.destroy();
  return { sent, failed };
}

let t0 = 0;
let cpu0 = process.cpuUsage();
let seconds = 0;
let cpu = { user: 0, system: 0 };
function start() {
  done = 0;
  cpu0 = process.cpuUsage();
  t0 = performance.now();
}
function stop() {
  seconds = (performance.now() - t0) / 1000;
  cpu = process.cpuUsage(cpu0);
}

const r = args.client === "swp" ? await swp() : await webPush();
clearInterval(ticker);
process.send?.({
  result: {
    ...r,
    seconds,
    perSecond: r.sent / seconds,
    cpuMicrosPerMessage: (cpu.user + cpu.system) / (r.sent + r.failed),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  },
});
process.disconnect?.();
