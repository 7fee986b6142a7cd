// Runs the fake push service (verification off) in its own process for the transport bench,
// and reports its origin, certificate and one subscription endpoint over IPC.
import { startFakePushService } from "@swp/sender/testing";

const service = await startFakePushService({
  http2: process.argv[2] !== "http1",
  verify: false,
  record: false,
});
const subscription = await service.subscribe();
process.send?.({ origin: service.origin, ca: service.ca, endpoint: subscription.endpoint });
process.on("disconnect", () => {
  void service.close().then(() => process.exit(0));
});
