// Section 1, per-message CPU on one thread, no network: what it costs to turn a payload and
// a subscription into a ready request.
//   ours     @swp/sender buildPushRequest: checks the subscription, encrypts (@swp/ece on
//            node:crypto), VAPID headers (signed once per audience, then cached), RFC 8030 headers
//   floor    the node:crypto operations RFC 8291 requires, inline (lib/floor.ts)
//   web-push generateRequestDetails: its encryption plus a VAPID JWT signed per message
// The three run in interleaved rounds; each figure is the median round.

import type * as Ece from "../../packages/ece/src/index.ts";
import type * as Sender from "../../packages/sender/src/index.ts";
import type * as Vapid from "../../packages/vapid/src/index.ts";
import { childArgs } from "./child-args.ts";
import { encryptFloor } from "./floor.ts";
import { load } from "./workspace.ts";

interface Args {
  seconds: number;
  rounds: number;
}
const args = await childArgs<Args>();

const ece = await load<typeof Ece>("sender", "@swp/ece");
const { buildPushRequest } = await load<typeof Sender>("pusher", "@swp/sender");
const { createVapid, generateVapidKeys, vapidKeysToBase64Url } = await load<typeof Vapid>(
  "sender",
  "@swp/vapid",
);
const webpushModule = await load<{ default: WebPush }>("sender", "web-push");
const webpush = webpushModule.default;

interface WebPush {
  generateRequestDetails(
    subscription: { endpoint: string; keys: { p256dh: string; auth: string } },
    payload: string,
    options: Record<string, unknown>,
  ): { body: Uint8Array };
}

const subject = "mailto:bench@example.com";
const payload = JSON.stringify({ title: "Bench", body: "x".repeat(200) }); // ~250 bytes
const plaintext = new TextEncoder().encode(payload);
const keys = await generateVapidKeys();
const vapid = createVapid({ keys, subject });
const b64 = await vapidKeysToBase64Url(keys);
const vapidDetails = { subject, publicKey: b64.publicKey, privateKey: b64.privateKey };

const receivers = await Promise.all(
  Array.from({ length: 100 }, () => ece.generateSubscriptionKeys()),
);
const subscriptions = receivers.map((r, i) => ({
  endpoint: `https://fcm.googleapis.com/fcm/send/bench-${i}`,
  keys: { p256dh: ece.base64urlEncode(r.uaPublic), auth: ece.base64urlEncode(r.authSecret) },
}));

// The floor must do the real work: its body decrypts like any push message.
{
  const r = receivers[0]!;
  const opened = await ece.decrypt(encryptFloor(plaintext, r.uaPublic, r.authSecret), r);
  if (new TextDecoder().decode(opened) !== payload) throw new Error("floor: wrong body");
}

type Contender = (i: number) => unknown;
const contenders: Record<"ours" | "floor" | "webPush", Contender> = {
  ours: (i) => buildPushRequest(subscriptions[i % 100]!, payload, { vapid, ttl: 60 }),
  floor: (i) => {
    const r = receivers[i % 100]!;
    return encryptFloor(plaintext, r.uaPublic, r.authSecret);
  },
  webPush: (i) =>
    webpush.generateRequestDetails(subscriptions[i % 100]!, payload, { vapidDetails, TTL: 60 }),
};

/** Messages per second for `seconds`, in chunks of 20 (awaiting ours, which is async). */
async function rate(run: Contender, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  let n = 0;
  while (performance.now() < end) {
    for (let k = 0; k < 20; k++) await run(n++);
  }
  return n / ((performance.now() - start) / 1000);
}

// Warm-up: JIT, key caches.
for (const run of Object.values(contenders)) await rate(run, Math.min(0.3, args.seconds));
const samples: Record<string, number[]> = { ours: [], floor: [], webPush: [] };
for (let round = 0; round < args.rounds; round++) {
  for (const [name, run] of Object.entries(contenders)) {
    samples[name]!.push(await rate(run, args.seconds));
    process.send?.({ progress: `round ${round + 1}/${args.rounds}, ${name}` });
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
process.send?.({
  result: {
    oursPerSecond: median(samples.ours!),
    floorPerSecond: median(samples.floor!),
    webPushPerSecond: median(samples.webPush!),
    samples,
  },
});
process.disconnect?.();
