// Adds up the test counts of every log into one closing line, so CI shows a single total for
// every package, the runtime matrix, the packaging test and both browser runs: vitest's
// "Tests  N passed (M)" lines (from turbo's interleaved logs) and node:test's "# pass N" /
// "# fail N" (TAP) or "ℹ pass N" (spec) lines.
import { readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  const text = stripVTControlCharacters(readFileSync(file, "utf8"));
  for (const line of text.split("\n")) {
    const nodeTest = /^(?:#|ℹ) (pass|fail|skipped|skip) (\d+)\s*$/.exec(
      line.replace(/^\S+:\S+: /, ""),
    );
    if (nodeTest) {
      const count = Number(nodeTest[2]);
      if (nodeTest[1] === "pass") passed += count;
      else if (nodeTest[1] === "fail") failed += count;
      else skipped += count;
      continue;
    }
    const match = /\bTests\s+(.*)\(\d+\)\s*$/.exec(line);
    if (!match) continue;
    const counts = match[1];
    passed += Number(/(\d+) passed/.exec(counts)?.[1] ?? 0);
    failed += Number(/(\d+) failed/.exec(counts)?.[1] ?? 0);
    skipped += Number(/(\d+) skipped/.exec(counts)?.[1] ?? 0);
  }
}
if (passed === 0) {
  console.error("no test results found in the logs");
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
