// Per-message CPU of sendAll on one thread (`workers: 0`): encryption, VAPID, HTTP/2 and
// the sender's own machinery, against the fake push service in another process (verify
// off), so this process's CPU is the sender's alone. Imports the sender's source, so a
// change is measured without a build. Profile it with:
//
//   npx tsx bench/one-thread.ts [messages] [rounds]
//   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/one-thread.ts
//   npx tsx bench/profile-top.ts /tmp/prof/<file>.cpuprofile
//
// SENDER_SRC=<dir> measures another copy of src/ (e.g. the last commit's, extracted with
// `git archive HEAD src | tar -x -C node_modules/.bench-baseline`) for a before/after.

import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createVapid, generateVapidKeys } from "@swp/vapid";
import type { PushSubscription, SendItem } from "../src/index.ts";

const MESSAGES = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const IN_FLIGHT = 64;

interface Service {
  origin: string;
  ca: string;
  subscriptions: PushSubscription[];
}

const { createSender } = (await import(
  process.env.SENDER_SRC ? `${process.env.SENDER_SRC}/index.ts` : "../src/index.ts"
)) as typeof import("../src/index.ts");

const child = fork(fileURLToPath(new URL("./service.ts", import.meta.url)), ["http2", "100"], {
  execArgv: ["--import", "tsx"],
});
const service = await new Promise<Service>((resolve, reject) => {
  child.once("message", (m) => resolve(m as Service));
  child.once("error", reject);
});

const vapid = createVapid({ keys: await generateVapidKeys(), subject: "mailto:bench@example.com" });
const sender = createSender({
  vapid,
  ca: service.ca,
  allowHosts: ["127.0.0.1"],
  workers: 0,
  concurrency: IN_FLIGHT,
  perOriginConcurrency: IN_FLIGHT,
});
function* items(n: number, offset: number): Generator<SendItem> {
  for (let i = 0; i < n; i++) {
    const k = offset + i;
    yield {
      subscription: service.subscriptions[k % service.subscriptions.length]!,
      payload: JSON.stringify({ title: "Bench", body: `message ${k}`, n: k }),
    };
  }
}

await sender.sendAll(items(2000, 0)).summary; // warm-up: connection, JIT
const rows = [];
for (let round = 0; round < ROUNDS; round++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await sender.sendAll(items(MESSAGES, 2000 + round * MESSAGES)).summary;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (summary.sent !== MESSAGES) throw new Error(`only ${summary.sent} of ${MESSAGES} sent`);
  rows.push({
    round: round + 1,
    "messages/s": Math.round(MESSAGES / seconds),
    "CPU µs/msg": Math.round((cpu.user + cpu.system) / MESSAGES),
  });
}
console.table(rows);
await sender.close();
child.disconnect();
