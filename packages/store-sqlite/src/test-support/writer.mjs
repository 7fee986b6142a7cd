// Child process for the multi-process tests: writes `count` rows through the BUILT
// package and prints each session id on stdout once its put has resolved (committed).
// With "wait", it prints "ready" once the store is open and starts on a line on stdin,
// so that several writers can be started at the same moment.
import { once } from "node:events";
import { createSqliteStore } from "@swp/store-sqlite";

const [path, prefix, count, mode] = process.argv.slice(2);
const keys = {
  p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
};
const store = await createSqliteStore({ path });
if (mode === "wait") {
  process.stdout.write("ready\n");
  await once(process.stdin, "data");
  process.stdin.destroy();
}
for (let n = 0; n < Number(count); n++) {
  const sessionId = `${prefix}-${n}`;
  await store.put(sessionId, { endpoint: `https://push.example.net/${sessionId}`, keys }, n % 3);
  process.stdout.write(`${sessionId}\n`);
}
await store.close();
process.stdout.write("done\n");
