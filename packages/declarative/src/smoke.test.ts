import { existsSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";

type Declarative = typeof import("./index.ts");

// Imports the BUILT package by name, as a user would. The specifier is a variable so that
// typechecking does not need dist/.
const packageName = "@swp/declarative";
let declarative: Declarative;
beforeAll(async () => {
  declarative = (await import(/* @vite-ignore */ packageName)) as Declarative;
});

describe("@swp/declarative (built, by name)", () => {
  it("builds, serializes and parses a message", () => {
    const init = { notification: { title: "Smoke", navigate: "https://app.example/" } };
    const json = declarative.serializeDeclarativeMessage(init);
    expect(declarative.parseDeclarativeMessage(json)).toEqual(
      declarative.createDeclarativeMessage(init),
    );
    expect(declarative.DECLARATIVE_WEB_PUSH).toBe(8030);
    expect(declarative.MAX_DECLARATIVE_SIZE).toBe(3993);
  });

  it("the built file imports nothing (it runs in browsers and Workers as is, and installs alone)", () => {
    const dist = new URL("../dist/", import.meta.url);
    expect(existsSync(new URL("index.js", dist)), "build first").toBe(true);
    const pending = ["index.js"];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      // Without comments: the TSDoc examples in dist/ show `import … from "@swp/declarative"`.
      const code = readFileSync(new URL(file, dist), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
      for (const [, specifier] of code.matchAll(
        /^(?:import|export)\b[^"']*?\bfrom\s*["']([^"']+)["']/gm,
      )) {
        expect(specifier!.startsWith("."), `${file} imports ${specifier}`).toBe(true);
        pending.push(new URL(specifier!, new URL(file, dist)).href.slice(dist.href.length));
      }
      expect(code, file).not.toMatch(/\bBuffer\b|\bprocess\.|\brequire\(|node:/);
    }
    // One bundled file: the package's modules and the SwpError base it inlines.
    expect([...seen]).toEqual(["index.js"]);
    expect(readFileSync(new URL("index.js", dist), "utf8")).toContain('Symbol.for("swp.error")');
  });
});
