import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// @swp/ece and @swp/vapid bundle this package into their portable entries, and stores run it
// wherever they run: the built code must need no Node module and no Node global.
const dist = fileURLToPath(new URL("../dist/", import.meta.url));

describe("built package", () => {
  it("imports no package and no node: module, and uses no Node global", () => {
    const files = readdirSync(dist).filter((f) => f.endsWith(".js"));
    expect(files).toContain("index.js");
    for (const file of files) {
      const code = readFileSync(`${dist}${file}`, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
      for (const [, specifier] of code.matchAll(/\bfrom\s*["']([^"']+)["']/g)) {
        expect(specifier!.startsWith("./"), `${file} imports ${specifier}`).toBe(true);
      }
      expect(code, file).not.toMatch(/\bBuffer\b|\bprocess\.|\brequire\(|\bnode:/);
    }
  });
});
