import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as portable from "./index.ts";
import * as node from "./node.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** Every module specifier reachable from `file` through relative imports. */
function importGraph(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  // Examples in doc comments name packages too; only real import lines count.
  const source = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
  const specifiers = [...source.matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']/g)].map(
    (m) => m[1]!,
  );
  seen.set(file, specifiers);
  for (const specifier of specifiers) {
    if (!specifier.startsWith(".")) continue;
    // A built .d.ts names its sibling declarations by their .js names.
    const target = join(dirname(file), specifier);
    importGraph(file.endsWith(".d.ts") ? target.replace(/\.js$/, ".d.ts") : target, seen);
  }
  return seen;
}

describe("entries", () => {
  it("export the same names", () => {
    expect(Object.keys(node).sort()).toEqual(Object.keys(portable).sort());
    expect(node.createVapid).not.toBe(portable.createVapid);
  });

  it("keep the portable entry free of node:* modules and Buffer", () => {
    const graph = importGraph(join(here, "index.ts"));
    expect(graph.size).toBeGreaterThan(5);
    for (const [file, specifiers] of graph) {
      for (const specifier of specifiers) {
        // @swp/subscription is portable too, and inlined by the build (see below).
        const allowed = specifier.startsWith(".") || specifier === "@swp/subscription";
        expect(allowed, `${file} imports ${specifier}`).toBe(true);
      }
      const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "");
      expect(code, file).not.toMatch(/\bBuffer\b/);
    }
    const nodeGraph = importGraph(join(here, "node.ts"));
    expect([...nodeGraph.values()].flat()).toContain("node:crypto");
  });
});

describe("built entries", () => {
  const dist = join(here, "../dist");

  it("import no package: @swp/subscription is inlined, so @swp/vapid installs alone", () => {
    for (const entry of ["index.js", "node-entry.js", "node/index.js", "index.d.ts"]) {
      const specifiers = [...importGraph(join(dist, entry)).values()].flat();
      const external = specifiers.filter((s) => !s.startsWith(".") && !s.startsWith("node:"));
      expect(external, entry).toEqual([]);
    }
    const portable = [...importGraph(join(dist, "index.js")).keys()];
    for (const file of portable) {
      expect(readFileSync(file, "utf8"), file).not.toMatch(/\bnode:|\bBuffer\.|\bprocess\./);
    }
  });
});
