// The bounded fault soak (issue 15): 2,000 messages over HTTP/2 on loopback with seeded
// connection drops, stream resets, 429s and stalls. The full 10,000 run is
// bench/fault-soak.ts (too slow for the unit suite on 2 shared cores).
import { describe, expect, it } from "vitest";
import { runFaultSoak } from "./test-support/fault-soak.ts";

describe("fault soak", () => {
  it("2,000 messages through drops, resets, 429s and stalls: 0 lost, 0 duplicated, every failure with a reason", async () => {
    const report = await runFaultSoak(2000, 15);
    expect(report.lost).toBe(0);
    expect(report.duplicatedResults).toBe(0);
    expect(report.deliveredButMissing).toBe(0);
    expect(report.duplicatedAtService).toBe(0);
    expect(report.withoutReason).toBe(0);
    expect(report.delivered + report.failed).toBe(2000);
    // The faults did happen, and the retries did their work.
    expect(report.faults.destroy ?? 0).toBeGreaterThan(0);
    expect(report.faults["rst 7"] ?? 0).toBeGreaterThan(0);
    expect(report.faults.stall ?? 0).toBeGreaterThan(0);
    expect(report.attempts).toBeGreaterThan(2000);
    // A failure is a stall's timeout, or a fault that came back on every retry the
    // timeout left room for: each says which.
    const words = ["timeout", "connection-lost", "stream-reset", "refused-stream", "status 429"];
    for (const word of Object.keys(report.failedBy)) expect(words).toContain(word);
    // The faults hit ~6.7% of requests; without retries ~130 messages would fail. What still
    // fails, other than timeouts (a stall, or a loaded machine), is a fault that came back on
    // every retry: rare. Timeouts are left out so that a loaded CI machine cannot flake this.
    const failedOtherwise = report.failed - (report.failedBy.timeout ?? 0);
    expect(failedOtherwise).toBeLessThan(20);
  }, 120_000);
});
