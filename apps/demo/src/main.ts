/**
 * `node dist/main.js` (`pnpm demo` from the repository root): starts the demo with the
 * settings from the environment and stops it cleanly on Ctrl-C.
 *
 * @module
 */

import { loadConfig } from "./config.ts";
import { startDemo } from "./demo.ts";

const config = loadConfig();
const demo = await startDemo(config);
console.log(`Push Codelab running at ${demo.url}/  (companion page: ${demo.url}/companion.html)`);
console.log(`Data directory: ${config.dataDir} (${demo.storedSubscriptions} subscriptions stored)`);
if (config.subjectIsPlaceholder) {
  console.log(
    `VAPID subject: ${config.subject} (set DEMO_SUBJECT=mailto:you@example.com to use yours)`,
  );
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    demo.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
