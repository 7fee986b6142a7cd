// How much the facade costs on top of the sender: notifyAll (SQLite store streamed into
// sendAll, gone cleanup, tally) against a bare sender.sendAll over the same subscriptions held
// in an array, measured in the same run against the fake push service (verification off, so
// the service is not the bottleneck). Both share this machine's cores with the service.
//
//   npx tsx bench/notify-all.ts [subscriptions=2000] [rounds=3]
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pusher } from "@swp/pusher";
import { createSender, type SendItem } from "@swp/sender";
import { startFakePushService } from "@swp/testing";
import { createVapid } from "@swp/vapid";

const count = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 3);
const subject = "mailto:bench@example.com";
const payload = JSON.stringify({ title: "Bench", body: "x".repeat(200) }); // ~250 bytes

const service = await startFakePushService({ verify: false, record: false });
const dir = await mkdtemp(join(tmpdir(), "swp-bench-"));
const network = { ca: service.ca, allowHosts: ["127.0.0.1"] };
const pusher = new Pusher({
  dbPath: join(dir, "subscriptors.db"),
  keyPath: join(dir, "private_key.pem"),
  subject,
  ...network,
});
const keys = { publicKey: await pusher.getPublicKey(), privateKey: await pusher.getPrivateKey() };
const sender = createSender({ vapid: createVapid({ keys, subject }), ...network });

const subscriptions = await Promise.all(Array.from({ length: count }, () => service.subscribe()));
let t0 = performance.now();
for (const [i, subscription] of subscriptions.entries())
  await pusher.newSubscription(`session-${i}`, subscription);
const storeSeconds = (performance.now() - t0) / 1000;

async function baseline(): Promise<number> {
  const items: SendItem[] = subscriptions.map((subscription) => ({ subscription, payload }));
  const start = performance.now();
  const summary = await sender.sendAll(items).summary;
  if (summary.sent !== count) throw new Error(`baseline: ${summary.sent} of ${count} sent`);
  return count / ((performance.now() - start) / 1000);
}

async function facade(): Promise<number> {
  const start = performance.now();
  const summary = await pusher.notifyAll(payload, { collectResults: false });
  if (summary.sent !== count) throw new Error(`notifyAll: ${summary.sent} of ${count} sent`);
  return count / ((performance.now() - start) / 1000);
}

await baseline(); // warm-up: connections, JIT
await facade();
const base: number[] = [];
const fac: number[] = [];
for (let r = 0; r < rounds; r++) {
  base.push(await baseline());
  fac.push(await facade());
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number) => `${Math.round(x).toLocaleString("en-US")} msg/s`;
console.log(`${count} subscriptions, ${rounds} rounds, median (all rounds)`);
console.log(
  `  newSubscription (SQLite, one at a time): ${Math.round(count / storeSeconds).toLocaleString("en-US")} writes/s`,
);
console.log(
  `  baseline sender.sendAll (array):  ${fmt(median(base))}  (${base.map(fmt).join(", ")})`,
);
console.log(
  `  pusher.notifyAll (SQLite stream): ${fmt(median(fac))}  (${fac.map(fmt).join(", ")})`,
);
console.log(`  ratio notifyAll / baseline: ${(median(fac) / median(base)).toFixed(2)}`);

t0 = performance.now();
await Promise.all([pusher.close(), sender.close()]);
await service.close();
await rm(dir, { recursive: true, force: true });
