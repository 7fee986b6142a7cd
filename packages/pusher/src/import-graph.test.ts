// The package's own modules import each other in one direction only: a cycle (as once
// pusher -> distributed -> options -> distributed -> pusher) makes the load order matter and
// the files impossible to read one at a time.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "test-support" ? [] : sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.(test|postgres-test)\.ts$/.test(entry.name)
      ? [path]
      : [];
  });
}

/** Relative imports of a file, `import type` included (a type cycle is still a knot). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/\bfrom\s+"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]!);
  return specifiers.map((s) => resolve(dirname(file), s));
}

/** The first cycle found, as a list of files relative to src/, or undefined. */
function findCycle(
  files: string[],
  edges: (file: string) => string[] = importsOf,
): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === "done") return undefined;
    if (state.get(file) === "open") return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, "open");
    stack.push(file);
    for (const next of edges(file)) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, "done");
    return undefined;
  };
  for (const file of files) {
    const cycle = visit(file);
    if (cycle) return cycle.map((f) => relative(src, f));
  }
  return undefined;
}

describe("the modules of @swp/pusher", () => {
  it("import each other without a cycle", () => {
    const files = sourceFiles(src);
    expect(files.length).toBeGreaterThan(20);
    expect(findCycle(files)).toBeUndefined();
  });

  it("the cycle finder finds a cycle (so the test above can fail)", () => {
    const graph: Record<string, string[]> = {
      [join(src, "a.ts")]: [join(src, "b.ts")],
      [join(src, "b.ts")]: [join(src, "c.ts")],
      [join(src, "c.ts")]: [join(src, "a.ts")],
    };
    expect(findCycle(Object.keys(graph), (f) => graph[f] ?? [])).toEqual([
      "a.ts",
      "b.ts",
      "c.ts",
      "a.ts",
    ]);
    expect(importsOf(join(src, "pusher.ts"))).toContain(join(src, "distributed.ts"));
  });
});
