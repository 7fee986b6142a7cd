// Keep a browser's subscription under its session id (in subscriptors.db), then notify it by
// session id, as a server does when the page posts its subscription.
//
//   SWP_SUBJECT=mailto:you@example.com node 2-store-subscription.mjs <session id> <subscription> [group]
import { Pusher } from "@swp/pusher";
import { pusherOptions, subscriptionArgument } from "./env.mjs";

const [sessionId, subscriptionText, group = "0"] = process.argv.slice(2);
const subscription = subscriptionArgument(subscriptionText);

const pusher = new Pusher(pusherOptions());
await pusher.newSubscription(sessionId, subscription, Number(group));
console.log(`stored ${sessionId} in group ${await pusher.getGroupId(sessionId)}`);

// A dict in the original, any JSON value here: the service worker gets its JSON text.
const result = await pusher.notify(sessionId, { title: "Notification Title", body: "Hello World" });
console.log(result.ok ? "sent" : `not sent: ${result.statusCode} ${result.reason ?? ""}`);
await pusher.close();
process.exitCode = result.ok ? 0 : 1;
