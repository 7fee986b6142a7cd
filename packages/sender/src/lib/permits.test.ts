import { describe, expect, it } from "vitest";
import { ManualClock } from "../test-support/manual-clock.ts";
import { type Permit, Permits } from "./permits.ts";

const A = "https://a.example";
const B = "https://b.example";

async function take(p: Permit | Promise<Permit>): Promise<Permit> {
  return "release" in p ? p : await p;
}

/** Whether a pending acquire has settled after the microtasks and one macrotask turn. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((r) => setImmediate(r));
  return done;
}

describe("Permits", () => {
  it("a request on the wire gives back its global slot, not its origin's", async () => {
    const permits = new Permits(2, 2, new ManualClock());
    const a1 = await take(permits.acquire(A, undefined));
    const a2 = await take(permits.acquire(A, undefined));
    // Both global slots are taken: B waits.
    const b = permits.acquire(B, undefined);
    expect("release" in b).toBe(false);
    a1.sent(); // A's first request now only waits for its answer
    const b1 = await take(b);
    // A is at its share (2): a third A request waits although B moves on.
    const a3 = permits.acquire(A, undefined) as Promise<Permit>;
    expect(await settled(a3)).toBe(false);
    a2.sent();
    b1.release();
    expect(await settled(a3)).toBe(false); // global free, origin still full
    a1.release();
    expect(await settled(a3)).toBe(true);
    a1.release(); // idempotent: no extra permit appears
    a2.release();
    (await a3).release();
  });

  it("a paused origin holds its callers until the pause ends; others pass", async () => {
    const clock = new ManualClock();
    const permits = new Permits(4, 4, clock);
    permits.pause(A, clock.now() + 5000);
    expect(permits.pausedFor(A)).toBe(5000);
    const a = permits.acquire(A, undefined) as Promise<Permit>;
    expect("release" in permits.acquire(B, undefined)).toBe(true);
    expect(await settled(a)).toBe(false);
    // The caller that set the pause and already slept to its end is not held again.
    expect("release" in permits.acquire(A, undefined, clock.now() + 5000)).toBe(true);
    clock.advance(5000);
    expect(await settled(a)).toBe(true);
    expect(permits.pausedFor(A)).toBe(0);
  });

  it("a wait ends with the signal's reason, and gives back nothing it did not take", async () => {
    const permits = new Permits(1, 1, new ManualClock());
    const held = await take(permits.acquire(A, undefined));
    const controller = new AbortController();
    const waiting = permits.acquire(A, controller.signal) as Promise<Permit>;
    controller.abort(new Error("deadline"));
    await expect(waiting).rejects.toThrow("deadline");
    held.release();
    // The one permit is free again, exactly once.
    const again = await take(permits.acquire(A, undefined));
    expect("release" in permits.acquire(B, undefined)).toBe(false);
    again.release();
  });
});
