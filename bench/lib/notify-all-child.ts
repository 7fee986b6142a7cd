// Section 3: pusher.notifyAll over a SQLite store of many subscriptions, streamed page by
// page into sendAll (encryption on worker threads), results counted and dropped
// (collectResults: false). Reports messages/s and this process's peak RSS.
//
// The stored endpoints name https://push.bench.invalid; a transport wrapped around the
// Node transport sends them to the fake push service instead (same path, its origin).

import type * as Pusher from "../../packages/pusher/src/index.ts";
import type * as Sender from "../../packages/sender/src/index.ts";
import type * as Vapid from "../../packages/vapid/src/index.ts";
import { childArgs } from "./child-args.ts";
import { PAYLOAD } from "./receivers.ts";
import { load } from "./workspace.ts";

interface Args {
  dbPath: string;
  rows: number;
  origin: string;
  ca: string;
  inFlight: number;
  workers?: number;
}
const args = await childArgs<Args>();

const { Pusher: PusherClass } = await load<typeof Pusher>("pusher", "@swp/pusher");
const { createNodeTransport } = await load<typeof Sender>("pusher", "@swp/sender");
const { generateVapidKeys } = await load<typeof Vapid>("pusher", "@swp/vapid");

const inner = createNodeTransport({
  ca: args.ca,
  allowHosts: ["127.0.0.1"],
  perOriginConnections: args.inFlight,
});
const transport: Sender.Transport = {
  request: (req) => inner.request({ ...req, origin: args.origin }),
  close: () => inner.close?.() ?? Promise.resolve(),
};
const pusher = new PusherClass({
  dbPath: args.dbPath,
  keys: await generateVapidKeys(),
  subject: "mailto:bench@example.com",
  transport,
  concurrency: args.inFlight,
  perOriginConcurrency: args.inFlight,
  ...(args.workers === undefined ? {} : { workers: args.workers }),
  ttl: 60,
});

let last = 0;
const t0 = performance.now();
const summary = await pusher.notifyAll(PAYLOAD, {
  collectResults: false,
  onProgress: ({ done, total }) => {
    const now = performance.now();
    if (now - last < 1000) return;
    last = now;
    const rate = Math.round(done / ((now - t0) / 1000));
    process.send?.({
      progress: `${done.toLocaleString("en-US")}/${(total ?? args.rows).toLocaleString("en-US")} messages, ${rate.toLocaleString("en-US")}/s, RSS ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MiB`,
    });
  },
});
const seconds = (performance.now() - t0) / 1000;
await pusher.close();
await transport.close?.();
process.send?.({
  result: {
    total: summary.total,
    sent: summary.sent,
    gone: summary.gone,
    failed: summary.failed,
    errors: summary.errors.length,
    seconds,
    perSecond: summary.total / seconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  },
});
process.disconnect?.();
