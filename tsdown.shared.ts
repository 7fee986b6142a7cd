import { defineConfig, type UserConfig } from "tsdown";

/**
 * The build of the packages that must install as ONE package (@swp/ece, @swp/vapid,
 * @swp/declarative): they share @swp/subscription's vocabulary as a devDependency and inline
 * it, JS and .d.ts, so `npm install @swp/ece` adds no second package. Every other package builds with tsc.
 *
 * `entry` maps each dist name (kept as tsc named them, so `exports` did not move) to its
 * source; one entry per export condition.
 */
export function bundledPackage(entry: Record<string, string>): UserConfig {
  return defineConfig({
    entry,
    format: "esm",
    // No runtime is assumed: the portable entries run on browsers, Deno, Bun and Workers;
    // the Node entries' node:* imports stay imports.
    platform: "neutral",
    target: "es2023",
    outDir: "dist",
    // Cleaned first: chunk names follow the module graph, and a stale chunk would still be
    // packed. (While it builds, for a few seconds, the package cannot be imported.)
    clean: true,
    hash: false,
    fixedExtension: false,
    tsconfig: "tsconfig.build.json",
    sourcemap: true,
    dts: { sourcemap: false },
    // Our own vocabulary is inlined; node:* stays an import of the Node entries. The packages'
    // portable-imports tests check that the built entries import nothing else.
    deps: { alwaysBundle: ["@swp/subscription"], neverBundle: [/^node:/] },
    // Code that several entries share goes to dist/shared/, named after its first module.
    outputOptions: { chunkFileNames: "shared/[name].js" },
    // Type bundling is most of a build that takes seconds; the timing report is noise.
    checks: { pluginTimings: false },
  });
}
