// A broadcast worker as its own process, on the BUILT packages (what `swp worker` runs,
// minus the command line). Configured by environment; prints one JSON line per batch
// ({"event":"batch",…}) and {"event":"ready"} once it takes jobs. Never prints keys.
import { runWorker } from "@swp/broadcast";
import { createSender } from "@swp/sender";
import { createVapid, vapidKeysFromBase64Url } from "@swp/vapid";

const env = process.env;
const keys = await vapidKeysFromBase64Url({
  publicKey: env.SWP_TEST_VAPID_PUBLIC,
  privateKey: env.SWP_TEST_VAPID_PRIVATE,
});
const sender = createSender({
  vapid: createVapid({ keys, subject: "mailto:ops@example.com" }),
  ca: env.SWP_TEST_CA,
  allowHosts: ["127.0.0.1"],
  // Encryption threads per worker process (the sender's default: one per core).
  ...(env.SWP_TEST_SENDER_WORKERS ? { workers: Number(env.SWP_TEST_SENDER_WORKERS) } : {}),
});
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const worker = await runWorker({
  connectionString: env.SWP_TEST_POSTGRES_URL,
  schema: env.SWP_TEST_SCHEMA,
  bossSchema: env.SWP_TEST_BOSS_SCHEMA,
  name: env.SWP_TEST_WORKER_NAME,
  sender,
  concurrency: Number(env.SWP_TEST_CONCURRENCY ?? 2),
  pollingIntervalSeconds: 0.5,
  superviseIntervalSeconds: 1,
  onBatch: (report) => print({ event: "batch", ...report }),
  onError: (error) => print({ event: "error", message: String(error?.message ?? error) }),
});
print({ event: "ready", name: worker.name });
process.on("SIGTERM", async () => {
  await worker.stop();
  await sender.close();
  process.exit(0);
});
