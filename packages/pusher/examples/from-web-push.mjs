// Coming from web-push (docs/coming-from-web-push.md): the same keys, the same subscription,
// the same options, and a result for every answer instead of a rejection.
//
//   VAPID_SUBJECT=mailto:you@example.com VAPID_PUBLIC_KEY=B… VAPID_PRIVATE_KEY=… \
//     node from-web-push.mjs '{"endpoint":"https://…","keys":{…}}'
import { Pusher } from "@swp/pusher";
import { pusherOptions, subscriptionArgument } from "./env.mjs";

const subscription = subscriptionArgument(process.argv[2]);

// webpush.setVapidDetails(subject, publicKey, privateKey)
const pusher = new Pusher({
  ...pusherOptions(), // only for a local push service ($SWP_CA_FILE, $SWP_ALLOW_HOSTS)
  subject: process.env.VAPID_SUBJECT,
  keys: { publicKey: process.env.VAPID_PUBLIC_KEY, privateKey: process.env.VAPID_PRIVATE_KEY },
});

// webpush.sendNotification(subscription, payload, { TTL: 60, urgency: "high", topic: "greeting" })
const result = await pusher.sendNotification(subscription, JSON.stringify({ title: "Hello" }), {
  ttl: 60,
  urgency: "high",
  topic: "greeting",
});

// web-push rejects on any answer but 2xx; here every answer is a PushResult.
if (result.ok) console.log(`sent (${result.statusCode})`);
else if (result.gone)
  console.log("gone: forget this subscription"); // web-push: 404/410 rejection
else console.log(`not sent: ${result.statusCode} ${result.reason ?? ""}`);

await pusher.close();
process.exitCode = result.ok ? 0 : 1;
