// "Hello World" to one browser, given the subscription it sent you.
//
//   SWP_SUBJECT=mailto:you@example.com node 1-hello-world.mjs '{"endpoint":"https://…","keys":{…}}'
import { Pusher } from "@swp/pusher";
import { pusherOptions, subscriptionArgument } from "./env.mjs";

const subscription = subscriptionArgument(process.argv[2]);

const pusher = new Pusher(pusherOptions());
const result = await pusher.sendNotification(subscription, "Hello World");
console.log(result.ok ? "sent" : `not sent: ${result.statusCode} ${result.reason ?? ""}`);
await pusher.close();
process.exitCode = result.ok ? 0 : 1;
