// The fake push service (HTTP/2 + HTTP/1.1 over TLS, verification off so it is not the
// bottleneck) in its own process, so it does not share the senders' event loop. It accepts
// POSTs to any /push/<id> path (acceptUnknown), reports its origin and certificate over
// IPC, and answers { cpu: true } with its CPU time so far.

import type * as Testing from "../../packages/testing/src/index.ts";
import { load } from "./workspace.ts";

const { startFakePushService } = await load<typeof Testing>("pusher", "@swp/testing");
const service = await startFakePushService({
  http2: true,
  verify: false,
  record: false,
  acceptUnknown: true,
});
process.send?.({ origin: service.origin, ca: service.ca });
process.on("message", (message: { cpu?: boolean }) => {
  if (message.cpu) {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMicros: user + system, requests: service.requestCount });
  }
});
process.on("disconnect", () => {
  void service.close().then(() => process.exit(0));
});
