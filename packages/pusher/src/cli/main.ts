/**
 * The `swp` command line: `swp keys`, `swp send`, `swp subscriptions`, `swp notify-all`,
 * `swp worker`.
 * Run `swp --help` for the list, `swp <command> --help` for each one.
 *
 * @module
 */
import { run } from "./run.ts";

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  now: () => performance.now(),
});
