import { build } from "esbuild";

/**
 * Bundles a guest the way a Worker (or a browser app) would be built: ESM, platform neutral
 * (no Node built-in is assumed to exist, so a `node:` import anywhere fails the build), and the
 * `workerd`, `worker`, `browser` export conditions that select the portable entries.
 */
export async function bundlePortable(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    logLevel: "silent",
  });
}
