// The root benchmark suite (`pnpm bench`): one run, one table, one JSON file.
//
//   1. per-message CPU: our encrypt + headers vs the raw node:crypto floor vs web-push's
//      generateRequestDetails (lib/cpu-child.ts)
//   2. broadcast: ours on one thread, ours on every core, web-push's sendNotification, all at
//      64 in flight, to the fake push service running in its own process (lib/broadcast-child.ts)
//   3. pusher.notifyAll from a SQLite store of 1,000,000 subscriptions, built once in
//      bench/.cache/ and reused (lib/sqlite-cache.ts, lib/notify-all-child.ts)
//
// Every measured client runs in its own child process (its CPU, memory and event loop are
// its own); a progress line goes to stderr while a step runs. Sizes (env):
//   BENCH_QUICK=1          a quick run: 5,000 messages, 20,000 rows, shorter CPU rounds
//   BENCH_MESSAGES=<n>     broadcast size (default 50,000)
//   BENCH_ROWS=<n>         notifyAll store size (default 1,000,000)
//   BENCH_CPU_SECONDS=<s>  length of one CPU round (default 2; 5 rounds)
//   BENCH_ROUNDS=<n>       broadcast rounds per client, interleaved; the best counts (default 2)
//   BENCH_WORKERS=<n>      encryption workers for "all cores" (default: the sender's default)
//   BENCH_CPU_PROF=<dir>   write V8 CPU profiles of the measured children there

import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import type * as Vapid from "../packages/vapid/src/index.ts";
import { runChild, startServiceChild } from "./lib/child.ts";
import { progressDone } from "./lib/progress.ts";
import { receiverKeys } from "./lib/receivers.ts";
import { BENCH_ORIGIN, sqliteCache } from "./lib/sqlite-cache.ts";
import { fromRoot, load } from "./lib/workspace.ts";

/** A BENCH_* knob (read by name: none of them is a build input). */
const env = (name: string): string | undefined => process.env[name];
const quick = env("BENCH_QUICK") === "1";
const envNumber = (name: string, fallback: number): number => {
  const raw = env(name);
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${name} must be a positive number, got ${raw}`);
  return n;
};
const MESSAGES = Math.round(envNumber("BENCH_MESSAGES", quick ? 5_000 : 50_000));
const ROWS = Math.round(envNumber("BENCH_ROWS", quick ? 20_000 : 1_000_000));
const CPU_SECONDS = envNumber("BENCH_CPU_SECONDS", quick ? 0.5 : 2);
const CPU_ROUNDS = quick ? 3 : 5;
const ROUNDS = Math.round(envNumber("BENCH_ROUNDS", quick ? 1 : 2));
const WORKERS = env("BENCH_WORKERS") ? Math.round(envNumber("BENCH_WORKERS", 1)) : undefined;
const IN_FLIGHT = 64;
const RSS_TARGET_MB = 300;

const cores = availableParallelism();
const started = new Date();
const loadAtStart = loadavg()[0]!;
console.log(
  `Solid Web Push bench, ${started.toISOString()}, Node ${process.version}, ${cores} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), load average ${loadAtStart.toFixed(2)}${quick ? ", QUICK" : ""}`,
);

// --- 1. per-message CPU ---------------------------------------------------------------
const cpu = await runChild<{
  oursPerSecond: number;
  floorPerSecond: number;
  webPushPerSecond: number;
  samples: Record<string, number[]>;
}>("./cpu-child.ts", { seconds: CPU_SECONDS, rounds: CPU_ROUNDS }, "1/3 per-message CPU");
progressDone();

// --- 2. broadcast -----------------------------------------------------------------------
interface BroadcastResult {
  sent: number;
  failed: number;
  seconds: number;
  perSecond: number;
  cpuMicrosPerMessage: number;
  peakRssMiB: number;
  serviceMicrosPerMessage: number;
}
const service = await startServiceChild();
const keys = await receiverKeys(1000);
const vapid = await load<typeof Vapid>("sender", "@swp/vapid");
const vapidKeys = await vapid.vapidKeysToBase64Url(await vapid.generateVapidKeys());
const common = {
  origin: service.origin,
  ca: service.ca,
  keys,
  vapidKeys,
  messages: MESSAGES,
  inFlight: IN_FLIGHT,
};
async function broadcast(label: string, args: Record<string, unknown>): Promise<BroadcastResult> {
  const before = await service.cpuMicros();
  const r = await runChild<Omit<BroadcastResult, "serviceMicrosPerMessage">>(
    "./broadcast-child.ts",
    { ...common, ...args },
    label,
  );
  // The service's CPU includes the client's warm-up: an upper bound per message.
  const serviceMicrosPerMessage = ((await service.cpuMicros()) - before) / (r.sent + r.failed);
  progressDone();
  if (r.failed > 0) console.warn(`${label}: ${r.failed} messages failed`);
  return { ...r, serviceMicrosPerMessage };
}
const n = MESSAGES.toLocaleString("en-US");
// The machine may be shared: the clients take turns, round after round, and each keeps its
// best round (other load only ever slows a round down).
const clients = {
  oneThread: { label: "ours on 1 thread", args: { client: "swp", workers: 0 } },
  allCores: {
    label: "ours on all cores",
    args: { client: "swp", ...(WORKERS === undefined ? {} : { workers: WORKERS }) },
  },
  webPush: { label: "web-push", args: { client: "web-push" } },
};
const rounds: Record<keyof typeof clients, BroadcastResult[]> = {
  oneThread: [],
  allCores: [],
  webPush: [],
};
for (let round = 1; round <= ROUNDS; round++) {
  for (const [key, { label, args }] of Object.entries(clients)) {
    const r = await broadcast(`2/3 broadcast ${n}, round ${round}/${ROUNDS}, ${label}`, args);
    rounds[key as keyof typeof clients].push(r);
  }
}
const best = (rs: BroadcastResult[]) => rs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
const oneThread = best(rounds.oneThread);
const allCores = best(rounds.allCores);
const webPush = best(rounds.webPush);

// --- 3. notifyAll from SQLite -----------------------------------------------------------
const dbPath = await sqliteCache(ROWS, keys);
const notify = await runChild<{
  total: number;
  sent: number;
  gone: number;
  failed: number;
  errors: number;
  seconds: number;
  perSecond: number;
  peakRssMiB: number;
}>(
  "./notify-all-child.ts",
  {
    dbPath,
    rows: ROWS,
    origin: service.origin,
    ca: service.ca,
    inFlight: IN_FLIGHT,
    ...(WORKERS === undefined ? {} : { workers: WORKERS }),
  },
  `3/3 notifyAll of ${ROWS.toLocaleString("en-US")} stored subscriptions`,
);
progressDone();
service.stop();
if (notify.total !== ROWS || notify.sent !== ROWS) {
  console.warn(
    `notifyAll: ${notify.sent} of ${ROWS} sent (${notify.failed} failed, ${notify.gone} gone)`,
  );
}

// --- the table ----------------------------------------------------------------------------
const int = (x: number) => Math.round(x).toLocaleString("en-US");
const ratio = (x: number) => `${x.toFixed(2)}×`;
/** "met", or how far off: the figure as a share of the target. */
function verdict(value: number, target: number, higherIsBetter = true): string {
  const met = higherIsBetter ? value >= target : value <= target;
  if (met) return "met";
  const short = higherIsBetter ? (1 - value / target) * 100 : (value / target - 1) * 100;
  return `missed by ${short.toFixed(0)}%`;
}
type Row = [string, string, string, string, string];
const rows: Row[] = [];
const row = (...cells: Row) => rows.push(cells);

const oursVsFloor = cpu.oursPerSecond / cpu.floorPerSecond;
const oursVsWebPushCpu = cpu.oursPerSecond / cpu.webPushPerSecond;
row(
  "1 per-message CPU",
  "node:crypto floor (keygen + ECDH + HKDF + AES-GCM)",
  `${int(cpu.floorPerSecond)} msg/s`,
  "",
  "",
);
row(
  "1 per-message CPU",
  "web-push generateRequestDetails",
  `${int(cpu.webPushPerSecond)} msg/s`,
  "",
  "",
);
row(
  "1 per-message CPU",
  "ours: buildPushRequest (encrypt + headers)",
  `${int(cpu.oursPerSecond)} msg/s`,
  "",
  "",
);
row("1 per-message CPU", "ours / floor", ratio(oursVsFloor), "≥ 0.90×", verdict(oursVsFloor, 0.9));
row(
  "1 per-message CPU",
  "ours / web-push",
  ratio(oursVsWebPushCpu),
  "≥ 4×",
  verdict(oursVsWebPushCpu, 4),
);

const describeBroadcast = (r: BroadcastResult, all: BroadcastResult[]) =>
  `${int(r.perSecond)} msg/s${all.length > 1 ? ` (rounds: ${all.map((x) => int(x.perSecond)).join(", ")})` : ""}, ${int(r.cpuMicrosPerMessage)} µs CPU/msg, peak RSS ${int(r.peakRssMiB)} MiB (service ${int(r.serviceMicrosPerMessage)} µs/msg)`;
row(
  `2 broadcast ${n}`,
  "web-push sendNotification, 64 in flight",
  describeBroadcast(webPush, rounds.webPush),
  "",
  "",
);
row(
  `2 broadcast ${n}`,
  "ours, 1 thread (workers: 0)",
  describeBroadcast(oneThread, rounds.oneThread),
  "",
  "",
);
row(
  `2 broadcast ${n}`,
  `ours, all cores (workers: ${WORKERS ?? `${Math.max(0, cores - 1)}, the default`})`,
  describeBroadcast(allCores, rounds.allCores),
  "",
  "",
);
const oneVsWebPush = oneThread.perSecond / webPush.perSecond;
const allVsWebPush = allCores.perSecond / webPush.perSecond;
const allVsOne = allCores.perSecond / oneThread.perSecond;
row(
  `2 broadcast ${n}`,
  "ours 1 thread / web-push",
  ratio(oneVsWebPush),
  "≥ 4×",
  verdict(oneVsWebPush, 4),
);
row(
  `2 broadcast ${n}`,
  "ours all cores / web-push",
  ratio(allVsWebPush),
  "≥ 6×",
  verdict(allVsWebPush, 6),
);
row(
  `2 broadcast ${n}`,
  "ours all cores / ours 1 thread",
  ratio(allVsOne),
  cores === 2 ? "≥ 1.6× (2 cores)" : "",
  cores === 2 ? verdict(allVsOne, 1.6) : "",
);
const rowsLabel = `3 notifyAll ${ROWS.toLocaleString("en-US")} (SQLite)`;
row(
  rowsLabel,
  "messages/s",
  `${int(notify.perSecond)} msg/s (${notify.seconds.toFixed(1)} s)`,
  "",
  "",
);
row(
  rowsLabel,
  "peak RSS",
  `${int(notify.peakRssMiB)} MiB`,
  `≤ ${RSS_TARGET_MB} MB`,
  verdict(notify.peakRssMiB * 1.048576, RSS_TARGET_MB, false),
);

const header: Row = ["section", "measurement", "result", "target", "verdict"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
console.log();
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));

// --- JSON -------------------------------------------------------------------------------
const results = {
  date: started.toISOString(),
  node: process.version,
  cores,
  cpu: cpus()[0]?.model.trim(),
  quick,
  loadAverage: { start: loadAtStart, end: loadavg()[0] },
  sizes: {
    messages: MESSAGES,
    rows: ROWS,
    cpuSeconds: CPU_SECONDS,
    cpuRounds: CPU_ROUNDS,
    broadcastRounds: ROUNDS,
    inFlight: IN_FLIGHT,
  },
  perMessageCpu: { ...cpu, oursVsFloor, oursVsWebPush: oursVsWebPushCpu },
  broadcast: { oneThread, allCores, webPush, rounds, oneVsWebPush, allVsWebPush, allVsOne },
  notifyAll: { ...notify, storeOrigin: BENCH_ORIGIN },
  table: rows,
};
const dir = fromRoot("bench/results/");
mkdirSync(dir, { recursive: true });
const file = new URL(`${started.toISOString().replace(/[:.]/g, "-")}.json`, dir);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(
  `\nload average at the end: ${loadavg()[0]!.toFixed(2)} (includes this run's own processes)`,
);
console.log(`JSON: ${fileURLToPath(file)}`);
