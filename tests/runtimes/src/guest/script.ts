// The guest as a script for Deno and Bun: run as is (each runtime resolves the packages itself,
// and both pick the `node` export condition), or bundled by esbuild with the
// workerd/worker/browser conditions (the portable entries). Fetches its input from Node's
// receiver on 127.0.0.1, runs the checks, prints one line of JSON.
import * as declarative from "@swp/declarative";
import * as ece from "@swp/ece";
import * as sender from "@swp/sender";
import * as vapid from "@swp/vapid";
import { runChecks } from "./checks.ts";
import type { GuestInput } from "./protocol.ts";

/** The receiver's URL: the first argument, however the runtime spells its arguments. */
function firstArgument(): string {
  const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
  const value = g.Deno?.args[0] ?? g.process?.argv[2];
  if (!value) throw new Error("usage: <runtime> script.ts <receiver url> <variant>");
  return value;
}

const base = firstArgument();
const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const variant = g.Deno?.args[1] ?? g.process?.argv[3] ?? "unknown";
const input = (await (
  await fetch(`${base}/input?variant=${encodeURIComponent(variant)}`)
).json()) as GuestInput;
const report = await runChecks(input, { ece, vapid, sender, declarative });
// Which file each package resolved to: the `node` condition's entry when the runtime resolves
// by itself. (In the bundle nothing is left to resolve; the runtime throws or guesses.)
report.resolved = {};
for (const name of ["@swp/ece", "@swp/vapid", "@swp/sender", "@swp/declarative"]) {
  try {
    report.resolved[name] = import.meta.resolve(name);
  } catch {
    report.resolved[name] = "unresolved";
  }
}
console.log(`SWP_REPORT ${JSON.stringify(report)}`);
