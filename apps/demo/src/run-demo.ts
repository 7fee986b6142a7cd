/**
 * `pnpm demo` from the repository root (`tsx apps/demo/src/run-demo.ts [--origin <url>]`):
 * says that it is building, builds the demo and the packages it uses with turbo (about
 * 35 s on a fresh clone, a few seconds once cached), then starts `dist/main.js`, which
 * prints the URL to open. Plain Node APIs only: it runs before anything is built.
 *
 * @module
 */

import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The steps of {@link runDemo}, injectable so a test can watch their order. */
export interface RunDemoSteps {
  /** Builds; resolves with the exit code (0 for success). */
  build(): Promise<number>;
  /** Starts the built demo (which prints its URL when it listens). */
  start(): Promise<unknown>;
  /** Writes one line for the user. */
  log(line: string): void;
  /** Milliseconds, for the build's duration. */
  now(): number;
}

/**
 * Announces the build before it starts (the user otherwise stares at a silent terminal for
 * half a minute), builds, reports how long it took, and starts the demo. Resolves with the
 * build's exit code when the build failed, 0 once the demo has started.
 *
 * @example
 * ```ts
 * process.exitCode = await runDemo(defaultSteps(process.argv.slice(2)));
 * ```
 */
export async function runDemo(steps: RunDemoSteps): Promise<number> {
  steps.log(
    "Building the demo and the packages it uses (about 35 s on a fresh clone, a few seconds after that)...",
  );
  const started = steps.now();
  const code = await steps.build();
  const seconds = ((steps.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    steps.log(`The build failed (exit code ${code}) after ${seconds} s: see turbo's output above.`);
    return code;
  }
  steps.log(`Built in ${seconds} s. Starting the demo...`);
  await steps.start();
  return 0;
}

/** The repository's root, three folders up from `apps/demo/src` (or `apps/demo/dist`). */
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * The real steps: turbo from the repository's `node_modules/.bin`, then `dist/main.js`
 * imported in this process, with `args` (e.g. `--origin`) as its arguments, so Ctrl-C
 * reaches one process that closes the demo cleanly.
 *
 * @example
 * ```ts
 * await runDemo(defaultSteps(["--origin", "https://demo.example.net"]));
 * ```
 */
export function defaultSteps(args: readonly string[]): RunDemoSteps {
  return {
    build: () =>
      new Promise<number>((resolve, reject) => {
        const turbo = join(ROOT, "node_modules", ".bin", "turbo");
        const child = spawn(
          turbo,
          ["run", "build", "--filter=@swp/demo...", "--output-logs=errors-only"],
          { cwd: ROOT, stdio: "inherit", shell: process.platform === "win32" },
        );
        child.once("error", reject);
        child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
      }),
    start: async () => {
      process.argv = [process.argv[0] as string, join(ROOT, "apps/demo/dist/main.js"), ...args];
      await import(pathToFileURL(join(ROOT, "apps/demo/dist/main.js")).href);
    },
    log: (line) => console.log(line),
    now: () => performance.now(),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runDemo(defaultSteps(process.argv.slice(2)));
}
