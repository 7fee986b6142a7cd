// Benchmark: VAPID headers for 10,000 sends spread over 3 push services, @swp/vapid next to
// web-push's getVapidHeaders for the same 10,000 endpoints in the same run. Also the cold
// rate (every call a cache miss, i.e. one ES256 signature each).
//
//   npx tsx bench/headers.ts          (the package's "bench" script)
//
// Rounds are interleaved (every variant once per round) so load changes hit all variants
// alike; the median per variant is reported. The machine is shared, so compare the ratios
// (same run, same load) rather than absolute numbers across runs.

import webpush from "web-push";
import * as portable from "../src/index.ts";
import * as node from "../src/node.ts";

const SENDS = 10_000;
const COLD = 2_000;
const ROUNDS = 5;
/** The cached variants take milliseconds; extra samples of them cost nothing. */
const CHEAP_SAMPLES = 5;
const SUBJECT = "mailto:bench@example.com";
const AUDIENCES = [
  "https://fcm.googleapis.com/fcm/send/",
  "https://updates.push.services.mozilla.com/wpush/v2/",
  "https://web.push.apple.com/",
];

const endpoints = Array.from(
  { length: SENDS },
  (_, i) => `${AUDIENCES[i % AUDIENCES.length]}${i.toString(36).padStart(8, "x")}-subscription`,
);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Calls per second of one run of `run`, which makes `calls` calls. */
async function measure(calls: number, run: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await run();
  return (calls / (performance.now() - start)) * 1000;
}

const keys = await node.generateVapidKeys();
const { publicKey, privateKey } = await node.vapidKeysToBase64Url(keys);

// web-push: what its sendNotification does per message (origin from the endpoint, then sign).
function webPushHeaders(endpoint: string) {
  const { origin } = new URL(endpoint);
  return webpush.getVapidHeaders(origin, SUBJECT, publicKey, privateKey, "aes128gcm");
}

async function cached(entry: typeof node) {
  // A fresh signer each round: the round pays its 3 cold signatures, like a process start.
  const vapid = entry.createVapid({ keys, subject: SUBJECT });
  for (const endpoint of endpoints) await vapid.headers(endpoint);
}

let coldRound = 0;
async function cold(entry: typeof node) {
  const vapid = entry.createVapid({ keys, subject: SUBJECT });
  const round = coldRound++;
  for (let i = 0; i < COLD; i++) await vapid.headers(`https://r${round}-p${i}.push.example/x`);
}

// Warm-up: JIT, key import, module initialisation.
for (let i = 0; i < 300; i++) webPushHeaders(endpoints[i]!);
await cached(node);
await cached(portable);
await cold(node);
await cold(portable);

const samples = {
  webPush: [] as number[],
  nodeCached: [] as number[],
  portableCached: [] as number[],
  nodeCold: [] as number[],
  portableCold: [] as number[],
};
for (let round = 0; round < ROUNDS; round++) {
  samples.webPush.push(
    await measure(SENDS, () => {
      for (const endpoint of endpoints) webPushHeaders(endpoint);
    }),
  );
  for (let i = 0; i < CHEAP_SAMPLES; i++) {
    samples.nodeCached.push(await measure(SENDS, () => cached(node)));
    samples.portableCached.push(await measure(SENDS, () => cached(portable)));
  }
  samples.nodeCold.push(await measure(COLD, () => cold(node)));
  samples.portableCold.push(await measure(COLD, () => cold(portable)));
}
const results = {
  webPush: median(samples.webPush),
  nodeCached: median(samples.nodeCached),
  portableCached: median(samples.portableCached),
  nodeCold: median(samples.nodeCold),
  portableCold: median(samples.portableCold),
};

const fmt = (n: number) => Math.round(n).toLocaleString("en-US").padStart(12);
const ratio = (n: number) => `${(n / results.webPush).toFixed(n / results.webPush >= 10 ? 0 : 2)}x`;
console.log(
  `VAPID headers, ${SENDS.toLocaleString("en-US")} sends over ${AUDIENCES.length} audiences ` +
    `(median of ${ROUNDS}; node ${process.version})\n`,
);
console.log(`${"".padEnd(44)}${"calls/s".padStart(12)}   vs web-push`);
const rows: Array<[string, number]> = [
  ["web-push getVapidHeaders (signs every call)", results.webPush],
  ["@swp/vapid headers(), node:crypto, cached", results.nodeCached],
  ["@swp/vapid headers(), WebCrypto, cached", results.portableCached],
  ["@swp/vapid cold (every call signs), node", results.nodeCold],
  ["@swp/vapid cold (every call signs), WebCrypto", results.portableCold],
];
for (const [label, value] of rows)
  console.log(`${label.padEnd(44)}${fmt(value)}   ${ratio(value)}`);
