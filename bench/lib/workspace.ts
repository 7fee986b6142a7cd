// The bench lives at the repository root, which depends on no workspace package: each
// module is loaded from the package folder that declares it (pnpm links dependencies per
// package), from its built dist/ like any user would.

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const ROOT = new URL("../../", import.meta.url);

/** Imports `specifier` as resolved from `packages/<from>/`. */
export async function load<T>(from: string, specifier: string): Promise<T> {
  const require = createRequire(new URL(`packages/${from}/package.json`, ROOT));
  const resolved = require.resolve(specifier);
  const module = (await import(pathToFileURL(resolved).href)) as T & { default?: unknown };
  return module;
}

/** A path under the repository root. */
export function fromRoot(path: string): URL {
  return new URL(path, ROOT);
}
