// Run by bench/store.ts in a fresh plain-node process (no tsx loader, whose own memory
// would be counted): lists every row of the database at argv[2] through the BUILT
// store and prints its rate and the process's peak RSS as one JSON line.
import { createSqliteStore } from "@swp/store-sqlite";

const store = await createSqliteStore({ path: process.argv[2] });
const startRss = process.memoryUsage.rss();
let rows = 0;
let sampledPeak = 0;
const start = performance.now();
for await (const row of store.list()) {
  if (row.sessionId.length === 0) throw new Error("unreachable; keeps the row in use");
  if (++rows % 10_000 === 0) sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
}
const ms = performance.now() - start;
await store.close();
const mb = (bytes) => bytes / 2 ** 20;
console.log(
  JSON.stringify({
    rows,
    ms,
    startRssMb: mb(startRss),
    sampledPeakMb: mb(sampledPeak),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
