// Runs the fake push service (verification off) in its own process for the transport and
// one-thread benches, and reports its origin, certificate, one subscription endpoint and
// (with a count as second argument) that many full subscriptions over IPC.
import { startFakePushService } from "@swp/testing";

const service = await startFakePushService({
  http2: process.argv[2] !== "http1",
  verify: false,
  record: false,
});
const subscription = await service.subscribe();
const count = Number(process.argv[3] ?? 0);
const subscriptions = await Promise.all(Array.from({ length: count }, () => service.subscribe()));
process.send?.({
  origin: service.origin,
  ca: service.ca,
  endpoint: subscription.endpoint,
  subscriptions,
});
process.on("disconnect", () => {
  void service.close().then(() => process.exit(0));
});
