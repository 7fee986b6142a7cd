import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { type RunDemoSteps, runDemo } from "./run-demo.ts";

/** Steps that record what happened, in order, with a clock the test moves. */
function recorder(buildCode: number): { steps: RunDemoSteps; events: string[] } {
  const events: string[] = [];
  let clock = 1_000;
  const steps: RunDemoSteps = {
    build: async () => {
      events.push("build");
      clock += 34_250;
      return buildCode;
    },
    start: async () => {
      events.push("start");
    },
    log: (line) => events.push(`log: ${line}`),
    now: () => clock,
  };
  return { steps, events };
}

describe("pnpm demo", () => {
  it("says it is building before the build starts, then how long it took, then starts", async () => {
    const { steps, events } = recorder(0);
    expect(await runDemo(steps)).toBe(0);
    expect(events).toHaveLength(4);
    expect(events[0]).toMatch(/^log: Building the demo .*about 35 s/);
    expect(events[1]).toBe("build");
    expect(events[2]).toBe("log: Built in 34.3 s. Starting the demo...");
    expect(events[3]).toBe("start");
  });

  it("stops with the build's exit code, and says so, when the build fails", async () => {
    const { steps, events } = recorder(2);
    expect(await runDemo(steps)).toBe(2);
    expect(events).not.toContain("start");
    expect(events.at(-1)).toMatch(/build failed \(exit code 2\) after 34\.3 s/);
  });

  it("is what the repository's demo script runs", async () => {
    const root = JSON.parse(
      await readFile(new URL("../../../package.json", import.meta.url), "utf8"),
    ) as { scripts: Record<string, string> };
    expect(root.scripts.demo).toBe("tsx apps/demo/src/run-demo.ts");
  });
});
