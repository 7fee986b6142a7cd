// Prints the functions with the most self time in a V8 .cpuprofile (from `node --cpu-prof`).
//
//   npx tsx bench/profile-top.ts <file.cpuprofile> [rows]

import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const profile = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Profile;
const rows = Number(process.argv[3] ?? 40);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  total += us;
  const f = byId.get(id)!.callFrame;
  const file = f.url.replace(/^.*\/(packages|node_modules)\//, "$1/");
  const key = `${f.functionName || "(anonymous)"}  ${file}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + us);
});
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, rows);
for (const [key, us] of top) {
  console.log(
    `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`,
  );
}
