import { describe, expect, it } from "vitest";
import { createProgressBar, renderProgress } from "./progress-bar.ts";

describe("renderProgress", () => {
  it("draws a bar with the counts when the total is known", () => {
    const line = renderProgress({ done: 5, total: 10, sent: 4, gone: 1, failed: 0 }, 80);
    expect(line).toMatch(/^\[#+-+\] 5\/10 {2}sent 4 {2}gone 1 {2}failed 0$/);
    const bar = /^\[([#-]+)\]/.exec(line)?.[1] ?? "";
    expect(bar.split("#").length - 1).toBe(bar.length / 2);
    expect(line.length).toBeLessThanOrEqual(80);
  });

  it("fits narrow terminals and unknown totals", () => {
    expect(
      renderProgress({ done: 3, total: 10, sent: 3, gone: 0, failed: 0 }, 30).length,
    ).toBeLessThanOrEqual(30);
    expect(renderProgress({ done: 3, sent: 2, gone: 0, failed: 1 }, 80)).toBe(
      "3 done  sent 2  gone 0  failed 1",
    );
  });
});

describe("createProgressBar", () => {
  it("redraws at most once per 100 ms, always at the end, and erases itself", () => {
    const writes: string[] = [];
    let t = 0;
    const bar = createProgressBar(
      { write: (s) => writes.push(s), isTTY: true, columns: 60 },
      () => t,
    );
    const p = (done: number) => ({ done, total: 4, sent: done, gone: 0, failed: 0 });
    bar.update(p(1)); // drawn (first frame)
    t = 50;
    bar.update(p(2)); // skipped: same frame
    t = 150;
    bar.update(p(3)); // drawn
    t = 160;
    bar.update(p(4)); // drawn: the last one
    bar.finish();
    expect(writes).toHaveLength(4);
    expect(writes.slice(0, 3).map((w) => /(\d)\/4/.exec(w)?.[1])).toEqual(["1", "3", "4"]);
    for (const w of writes) expect(w.startsWith("\r")).toBe(true);
    expect(writes[3]).toBe("\r\x1b[K");
  });

  it("writes nothing at the end when it never drew", () => {
    const writes: string[] = [];
    createProgressBar({ write: (s) => writes.push(s) }, () => 0).finish();
    expect(writes).toEqual([]);
  });
});
