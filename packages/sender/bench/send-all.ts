// Benchmark: sendAll of 20,000 messages to the local HTTP/2 fake push service, next to
// web-push's sendNotification with the same number of requests in flight, against the same
// service in the same run. Each client runs in its own child process so its throughput and
// peak RSS are its own; the service runs in this process with verification off so it is not
// the bottleneck (same setting for both).
//
//   pnpm bench            (or: npx tsx bench/send-all.ts [messages])

import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startFakePushService } from "@swp/testing";
import { generateVapidKeys, vapidKeysToBase64Url } from "@swp/vapid";

const MESSAGES = Number(process.argv[2] ?? 20_000);
const IN_FLIGHT = 64;
/** web-push is slower; cap its run so the whole bench stays under a minute. */
const BASELINE_BUDGET_MS = 20_000;

export interface ClientReport {
  client: string;
  sent: number;
  failed: number;
  seconds: number;
  perSecond: number;
  maxRssMiB: number;
  cpuMicrosPerMessage: number;
}

function runClient(args: Record<string, unknown>): Promise<ClientReport> {
  return new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(new URL("./client.ts", import.meta.url)),
      [JSON.stringify(args)],
      {
        execArgv: [
          "--import",
          "tsx",
          ...(process.env.BENCH_CPU_PROF
            ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
            : []),
        ],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      },
    );
    child.once("message", (m) => resolve(m as ClientReport));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`bench client ${String(args.client)} exited with ${code}`));
    });
  });
}

const service = await startFakePushService({ http2: true, verify: false, record: false });
const subscriptions = await Promise.all(Array.from({ length: 100 }, () => service.subscribe()));
const keys = await vapidKeysToBase64Url(await generateVapidKeys());
const common = { origin: service.origin, ca: service.ca, subscriptions, keys, inFlight: IN_FLIGHT };

console.log(
  `sendAll vs web-push: ${MESSAGES} messages, ${IN_FLIGHT} in flight, fake push service at ${service.origin} (HTTP/2, verify off)`,
);
const started = performance.now();
/** Runs a client and measures this process's (the service's) CPU meanwhile. */
async function measured(
  args: Record<string, unknown>,
): Promise<ClientReport & { serviceMicrosPerMessage: number }> {
  const before = process.cpuUsage();
  const report = await runClient(args);
  const cpu = process.cpuUsage(before);
  // Includes the warm-up and connection set-up: an upper bound per message.
  return {
    ...report,
    serviceMicrosPerMessage: (cpu.user + cpu.system) / (report.sent + report.failed),
  };
}

const swp = await measured({ ...common, client: "swp", messages: MESSAGES });
const baseline = await measured({
  ...common,
  client: "web-push",
  messages: MESSAGES,
  budgetMs: BASELINE_BUDGET_MS,
});
await service.close();

const rows = [swp, baseline].map((r) => ({
  client: r.client,
  messages: r.sent + r.failed,
  failed: r.failed,
  seconds: r.seconds.toFixed(2),
  "messages/s": Math.round(r.perSecond),
  "client CPU µs/msg": Math.round(r.cpuMicrosPerMessage),
  "service CPU µs/msg": Math.round(r.serviceMicrosPerMessage),
  "peak RSS MiB": r.maxRssMiB.toFixed(0),
}));
console.table(rows);
console.log(
  `ratio @swp/sender / web-push: ${(swp.perSecond / baseline.perSecond).toFixed(2)}x  (total bench time ${((performance.now() - started) / 1000).toFixed(1)} s)`,
);
