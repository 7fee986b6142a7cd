import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// The guarantee Cloudflare Workers (without nodejs_compat), browsers, Deno and Bun rely on:
// the fetch-only entry's BUILT import graph reaches no node: module and no package other than
// the portable @swp ones. The runtime matrix (tests/runtimes) runs it for real; this is the
// fast check that fails in this package's own tests.
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const packageRoot = fileURLToPath(new URL("../", import.meta.url));

const SPECIFIER =
  /^\s*(?:import|export)\b[^'"]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;

/** Every file reachable from `entry` through relative imports, and every other specifier. */
function importGraph(entry: string): { files: string[]; external: string[] } {
  const files = new Set<string>();
  const external = new Set<string>();
  const pending = [join(dist, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    // Without block comments: TSDoc examples in dist/ hold `import … from "…"` lines.
    const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    for (const match of code.matchAll(SPECIFIER)) {
      const specifier = (match[1] ?? match[2] ?? match[3])!;
      if (specifier.startsWith(".")) pending.push(join(dirname(file), specifier));
      else external.add(specifier);
    }
  }
  return { files: [...files].map((f) => relative(dist, f)).sort(), external: [...external].sort() };
}

describe("the fetch-only entry (dist/fetch-entry.js)", () => {
  it("exists (the test task runs after the build)", () => {
    expect(existsSync(join(dist, "fetch-entry.js")), "run the build first").toBe(true);
  });

  it("imports no node: module and no package but the portable @swp ones", () => {
    const { files, external } = importGraph("fetch-entry.js");
    for (const specifier of external) expect(specifier).toMatch(/^@swp\/(ece|vapid|subscription)$/);
    expect(external).toContain("@swp/ece");
    expect(files).toContain("push-request.js");
    expect(files).toContain("fetch-transport.js");
    expect(files).not.toContain("lib/encrypt-pool.js");
    expect(files).not.toContain("node-transport.js");
    expect(files).not.toContain("sender.js");
    for (const file of files) {
      const code = readFileSync(join(dist, file), "utf8");
      expect(code, file).not.toMatch(/\bBuffer\.|\bprocess\.|\brequire\(|["']node:/);
    }
  });

  it("dist/index.js does reach node: modules and undici (so the scan above sees imports)", () => {
    const { external } = importGraph("index.js");
    expect(external).toContain("node:worker_threads");
    expect(external).toContain("undici");
  });

  it("is what @swp/sender resolves to under the workerd, worker and browser conditions", async () => {
    const run = promisify(execFile);
    const probe =
      'const m = await import("@swp/sender"); console.log(typeof m.buildPushRequest, typeof m.createFetchTransport, typeof m.createSender)';
    const importWith = async (conditions: string[]) =>
      (
        await run(process.execPath, [...conditions, "--input-type=module", "-e", probe], {
          cwd: packageRoot,
        })
      ).stdout.trim();
    const [workerd, worker, browser, plain] = await Promise.all([
      importWith(["--conditions=workerd"]),
      importWith(["--conditions=worker"]),
      importWith(["--conditions=browser"]),
      importWith([]),
    ]);
    expect({ workerd, worker, browser }).toEqual({
      workerd: "function function undefined",
      worker: "function function undefined",
      browser: "function function undefined",
    });
    expect(plain).toBe("function function function");
  });

  it("exports everything of the full entry except what needs Node (kept in sync)", async () => {
    const full = Object.keys(await import(/* @vite-ignore */ join(dist, "index.js")));
    const fetchOnly = Object.keys(await import(/* @vite-ignore */ join(dist, "fetch-entry.js")));
    expect(full.filter((name) => !fetchOnly.includes(name)).sort()).toEqual([
      "createNodeTransport",
      "createSender",
    ]);
    expect(fetchOnly.filter((name) => !full.includes(name))).toEqual([]);
  });

  it("is also the documented subpath @swp/sender/fetch", async () => {
    const viaSubpath = await import(/* @vite-ignore */ join(dist, "fetch-entry.js"));
    const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8"));
    expect(pkg.exports["./fetch"].default).toBe("./dist/fetch-entry.js");
    expect(Object.keys(viaSubpath)).toContain("buildPushRequest");
    expect(Object.keys(viaSubpath)).not.toContain("createSender");
  });
});
