// The encryption worker runs from the built file (a worker thread does not go through
// vitest's TypeScript transform): tests that start workers point the pool at dist/.
// `pnpm test` builds first (turbo's test task depends on build).

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BUILT_WORKER = new URL("../../dist/lib/encrypt-worker.js", import.meta.url);

/** The built worker script; throws a clear message when the package was not built. */
export function builtWorkerUrl(): URL {
  if (!existsSync(fileURLToPath(BUILT_WORKER))) {
    throw new Error(
      "dist/lib/encrypt-worker.js is missing: build the package first (npx tsc -p tsconfig.build.json)",
    );
  }
  return BUILT_WORKER;
}

/** A worker that says it is ready, then dies on its first batch (a crash, scripted). */
export const CRASHING_WORKER = new URL("./crashing-worker.mjs", import.meta.url);
