// The fault soak of issue 15 at full size: 10,000 messages through sendAll over HTTP/2 on
// loopback, with seeded connection drops, stream resets (0, 7, 8), 429s and stalls
// (src/test-support/fault-soak.ts; the unit suite runs 2,000). Prints the report as JSON
// and exits non-zero if a message was lost or duplicated or a failure has no reason.
//
//   npx tsx bench/fault-soak.ts [messages] [seed]

import { runFaultSoak } from "../src/test-support/fault-soak.ts";

const messages = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? 15);
const report = await runFaultSoak(messages, seed, 4000, (results, requests) =>
  console.error(`${results} results, ${requests} requests`),
);
console.log(JSON.stringify(report, null, 2));
const broken =
  report.lost +
  report.duplicatedResults +
  report.deliveredButMissing +
  report.duplicatedAtService +
  report.withoutReason;
process.exitCode = broken === 0 ? 0 : 1;
