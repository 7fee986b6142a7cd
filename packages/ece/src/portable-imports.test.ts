import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The guarantee Workers, Deno, Bun and browsers rely on: the portable entry's BUILT import graph
// reaches no node: module, no bare package, and no Node global.
const dist = fileURLToPath(new URL("../dist/", import.meta.url));

const SPECIFIER =
  /(?:\bimport|\bexport)\s[^'"]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;

/** Every file reachable from `entry` through relative imports, and every other specifier. */
function importGraph(entry: string): { files: string[]; external: string[] } {
  const files = new Set<string>();
  const external = new Set<string>();
  const pending = [join(dist, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    // Examples in doc comments name packages too; only real import lines count.
    const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    for (const match of code.matchAll(SPECIFIER)) {
      const specifier = (match[1] ?? match[2] ?? match[3])!;
      // A built .d.ts names its sibling declarations by their .js names.
      const target = join(dirname(file), specifier);
      if (!specifier.startsWith(".")) external.add(specifier);
      else pending.push(file.endsWith(".d.ts") ? target.replace(/\.js$/, ".d.ts") : target);
    }
  }
  return { files: [...files].map((f) => relative(dist, f)).sort(), external: [...external].sort() };
}

describe("built entries", () => {
  it("exist (the test task runs after the build)", () => {
    expect(existsSync(join(dist, "index.js")), "run `pnpm build` (tsdown) first").toBe(true);
  });

  it("dist/index.js imports no node: module, no package and no Node global", () => {
    const { files, external } = importGraph("index.js");
    // No package either: @swp/subscription is inlined, so @swp/ece installs as one package.
    expect(external).toEqual([]);
    const code = files.map((file) => readFileSync(join(dist, file), "utf8")).join("\n");
    expect(code).toContain("crypto.subtle");
    expect(code).toContain('Symbol.for("swp.error")');
    expect(code).not.toContain("createECDH");
    for (const file of files) {
      const code = readFileSync(join(dist, file), "utf8");
      expect(code, file).not.toMatch(/\bBuffer\.|\bprocess\.|\brequire\(|\bnode:/);
    }
  });

  it("dist/node.js reaches node:crypto (so the scan above does see imports)", () => {
    const { files, external } = importGraph("node.js");
    expect(external).toEqual(["node:crypto"]);
    const code = files.map((file) => readFileSync(join(dist, file), "utf8")).join("\n");
    expect(code).toContain("createECDH");
    expect(code).not.toContain("crypto.subtle");
  });

  it("the .d.ts files name no package: the shared types are inlined too", () => {
    const { files, external } = importGraph("index.d.ts");
    expect(external).toEqual([]);
    expect(files.filter((f) => f.endsWith(".d.ts")).length).toBeGreaterThan(1);
  });
});
