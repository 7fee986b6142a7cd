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
    for (const match of readFileSync(file, "utf8").matchAll(SPECIFIER)) {
      const specifier = (match[1] ?? match[2] ?? match[3])!;
      if (specifier.startsWith(".")) pending.push(join(dirname(file), specifier));
      else external.add(specifier);
    }
  }
  return { files: [...files].map((f) => relative(dist, f)).sort(), external: [...external].sort() };
}

describe("built entries", () => {
  it("exist (the test task runs after the build)", () => {
    expect(existsSync(join(dist, "index.js")), "run `tsc -p tsconfig.build.json` first").toBe(true);
  });

  it("dist/index.js imports no node: module, no package and no Node global", () => {
    const { files, external } = importGraph("index.js");
    expect(external).toEqual([]);
    expect(files).toContain("lib/web-crypto-primitives.js");
    expect(files).not.toContain("lib/node-crypto-primitives.js");
    for (const file of files) {
      const code = readFileSync(join(dist, file), "utf8");
      expect(code, file).not.toMatch(/\bBuffer\.|\bprocess\.|\brequire\(|\bnode:/);
    }
  });

  it("dist/node.js reaches node:crypto (so the scan above does see imports)", () => {
    const { files, external } = importGraph("node.js");
    expect(external).toEqual(["node:crypto"]);
    expect(files).toContain("lib/node-crypto-primitives.js");
    expect(files).not.toContain("lib/web-crypto-primitives.js");
  });
});
