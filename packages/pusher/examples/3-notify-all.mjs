// Everyone stored in subscriptors.db (or one group) gets "Hello World". The call returns at
// once (nonblocking, as the original's did); wait() then reports every result. Subscriptions
// that the push service says are gone are removed from the database.
//
//   SWP_SUBJECT=mailto:you@example.com node 3-notify-all.mjs [group]
import { Pusher } from "@swp/pusher";
import { pusherOptions } from "./env.mjs";

const group = process.argv[2];

const pusher = new Pusher(pusherOptions());
pusher.notifyAll("Hello World", {
  nonblocking: true,
  ...(group === undefined ? {} : { groupId: Number(group) }),
});
// …the server goes on with its work here…
const { sent, gone, failed, errors } = await pusher.wait();
console.log(`${sent} sent, ${gone} gone (removed), ${failed} failed`);
for (const error of errors) console.error(error.message);
await pusher.close();
process.exitCode = failed + errors.length === 0 ? 0 : 1;
