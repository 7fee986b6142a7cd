import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// The npm packages deno, bun and workerd ship their binaries as optional platform packages and
// normally link them in an install script, which pnpm does not run here (pnpm-workspace.yaml).
// So the binaries are taken from the platform packages, resolved from the wrapper packages
// this project depends on (no hard-coded store paths).
const require = createRequire(import.meta.url);

function platformBinary(wrapper: string, platformPackage: string, file: string): string {
  const fromWrapper = createRequire(require.resolve(`${wrapper}/package.json`));
  const path = join(dirname(fromWrapper.resolve(`${platformPackage}/package.json`)), file);
  if (!existsSync(path)) throw new Error(`${wrapper}: no binary at ${path}`);
  return path;
}

/** Platform package names for this machine (CI and development run linux-x64 glibc). */
function platformKey(): string {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `the runtime matrix knows linux-x64 only, not ${process.platform}-${process.arch}`,
    );
  }
  return "linux-x64";
}

/** Absolute paths of the three runtimes' binaries. */
export function runtimeBinaries(): { deno: string; bun: string; workerd: string } {
  platformKey();
  return {
    deno: platformBinary("deno", "@deno/linux-x64-glibc", "deno"),
    bun: platformBinary("bun", "@oven/bun-linux-x64", "bin/bun"),
    workerd: platformBinary("workerd", "@cloudflare/workerd-linux-64", "bin/workerd"),
  };
}
