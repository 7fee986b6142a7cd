import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as portable from "./index.ts";
import * as node from "./node-entry.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** Every module specifier reachable from `file` through relative imports. */
function importGraph(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const source = readFileSync(file, "utf8");
  const specifiers = [...source.matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']/g)].map(
    (m) => m[1]!,
  );
  seen.set(file, specifiers);
  for (const specifier of specifiers) {
    if (specifier.startsWith(".")) importGraph(join(dirname(file), specifier), seen);
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
        expect(specifier.startsWith("."), `${file} imports ${specifier}`).toBe(true);
      }
      const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "");
      expect(code, file).not.toMatch(/\bBuffer\b/);
    }
    const nodeGraph = importGraph(join(here, "node-entry.ts"));
    expect([...nodeGraph.values()].flat()).toContain("node:crypto");
  });
});
