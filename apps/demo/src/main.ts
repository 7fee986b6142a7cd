/**
 * `node dist/main.js [--origin <url>]` (`pnpm demo` from the repository root): starts the
 * demo with the settings from the environment and stops it cleanly on Ctrl-C.
 *
 * @module
 */

import { type DemoConfig, loadConfig } from "./config.ts";
import { startDemo } from "./demo.ts";

let config: DemoConfig;
try {
  config = loadConfig(process.env, process.argv.slice(2));
} catch (error) {
  // A setting the user got wrong: say which, without a stack trace.
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const demo = await startDemo(config);
// With a public origin, only pages from it may post: that is the URL to open.
const pageUrl = config.origins[0] ?? demo.url;
const listening = pageUrl === demo.url ? "" : `, listening on ${demo.url}`;
console.log(
  `Push Codelab running at ${pageUrl}/  (companion page: ${pageUrl}/companion.html${listening})`,
);
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
