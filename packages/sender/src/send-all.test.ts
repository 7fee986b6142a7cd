import { describe, expect, it } from "vitest";
import type { PushResult } from "./push-result.ts";
import { type SendItem, startSendAll } from "./send-all.ts";

function result(item: SendItem, over: Partial<PushResult> = {}): PushResult {
  return {
    ok: true,
    statusCode: 201,
    endpoint: String((item.subscription as { endpoint: string }).endpoint),
    gone: false,
    attempts: 1,
    service: "other",
    ...over,
  };
}

function items(n: number, onPull?: (i: number) => void): Iterable<SendItem> {
  return {
    *[Symbol.iterator]() {
      for (let i = 0; i < n; i++) {
        onPull?.(i);
        yield { subscription: { endpoint: `https://push.example/${i}` }, payload: "x", id: i };
      }
    },
  };
}

async function* asyncItems(n: number, onPull?: (i: number) => void): AsyncGenerator<SendItem> {
  for (let i = 0; i < n; i++) {
    onPull?.(i);
    await Promise.resolve();
    yield { subscription: { endpoint: `https://push.example/${i}` }, payload: "x", id: i };
  }
}

/** Settles after a pseudo-random number of macrotask turns, to shuffle completion order. */
function later<T>(value: T, turns: number): Promise<T> {
  return new Promise((resolve) => {
    const step = (n: number) => (n === 0 ? resolve(value) : setImmediate(() => step(n - 1)));
    step(turns);
  });
}

const base = {
  aborted: (item: SendItem) =>
    result(item, { ok: false, statusCode: 0, attempts: 0, reason: "aborted" }),
  crashed: (item: SendItem, e: unknown) =>
    result(item, { ok: false, statusCode: 0, attempts: 0, reason: String(e) }),
};

describe("startSendAll", () => {
  it("yields exactly one result per item, never holding more than concurrency", async () => {
    const n = 10_000;
    const concurrency = 16;
    let pulled = 0;
    let yielded = 0;
    let maxHeld = 0;
    let inSend = 0;
    let maxInSend = 0;
    const run = startSendAll(
      asyncItems(n, () => {
        pulled++;
        maxHeld = Math.max(maxHeld, pulled - yielded);
      }),
      {
        ...base,
        concurrency,
        signal: undefined,
        send: async (item) => {
          inSend++;
          maxInSend = Math.max(maxInSend, inSend);
          const i = item.id as number;
          const r = await later(
            i % 7 === 0
              ? result(item, { ok: false, statusCode: 500 })
              : i % 11 === 0
                ? result(item, { ok: false, gone: true, statusCode: 410 })
                : result(item),
            (i * 7919) % 5,
          );
          inSend--;
          if (i === 4242) throw new Error("bug in send");
          return r;
        },
      },
    );
    const seen = new Set<unknown>();
    let outOfOrder = false;
    let last = -1;
    for await (const r of run) {
      yielded++;
      expect(seen.has(r.id)).toBe(false);
      seen.add(r.id);
      if ((r.id as number) < last) outOfOrder = true;
      last = r.id as number;
    }
    expect(seen.size).toBe(n);
    expect(maxHeld).toBeLessThanOrEqual(concurrency + 1);
    expect(maxInSend).toBeLessThanOrEqual(concurrency);
    expect(outOfOrder).toBe(true); // completion order, not input order
    const summary = await run.summary;
    expect(summary.total).toBe(n);
    expect(summary.sent + summary.gone + summary.failed).toBe(n);
    expect(summary.gone).toBe(
      Array.from({ length: n }, (_, i) => i).filter((i) => i % 7 !== 0 && i % 11 === 0).length,
    );
  });

  it("answers every item with an aborted result after the signal fires", async () => {
    const controller = new AbortController();
    const n = 500;
    const run = startSendAll(items(n), {
      ...base,
      concurrency: 8,
      signal: controller.signal,
      send: (item, signal) =>
        new Promise<PushResult>((resolve) => {
          if (item.id === 100) controller.abort();
          const done = () => resolve(base.aborted(item));
          if (signal.aborted) return done();
          signal.addEventListener("abort", done, { once: true });
          setImmediate(() => {
            signal.removeEventListener("abort", done);
            resolve(result(item));
          });
        }),
    });
    const ids: unknown[] = [];
    let aborted = 0;
    for await (const r of run) {
      ids.push(r.id);
      if (r.reason === "aborted") aborted++;
    }
    expect(ids.length).toBe(n);
    expect(new Set(ids).size).toBe(n);
    expect(aborted).toBeGreaterThanOrEqual(n - 101);
    expect(await run.summary).toMatchObject({ total: n, failed: aborted });
  });

  it("resolves the summary without iteration", async () => {
    const run = startSendAll(items(1000), {
      ...base,
      concurrency: 4,
      signal: undefined,
      send: (item) => later(result(item), 1),
    });
    expect(await run.summary).toEqual({ total: 1000, sent: 1000, gone: 0, failed: 0 });
    expect(() => run[Symbol.asyncIterator]()).toThrow(TypeError);
  });

  it("refuses a second iteration", () => {
    const run = startSendAll(items(1), {
      ...base,
      concurrency: 1,
      signal: undefined,
      send: async (i) => result(i),
    });
    run[Symbol.asyncIterator]();
    expect(() => run[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  it("stops reading and cancels in-flight sends when the consumer breaks", async () => {
    let pulled = 0;
    let cancelled = 0;
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; ; i++) {
          pulled++;
          yield { subscription: { endpoint: `https://push.example/${i}` }, payload: "x", id: i };
        }
      } finally {
        closed = true;
      }
    }
    const run = startSendAll(source(), {
      ...base,
      concurrency: 4,
      signal: undefined,
      send: (item, signal) =>
        new Promise<PushResult>((resolve) => {
          if ((item.id as number) < 3) return resolve(result(item));
          signal.addEventListener("abort", () => {
            cancelled++;
            resolve(base.aborted(item));
          });
        }),
    });
    let got = 0;
    for await (const _ of run) {
      if (++got === 3) break;
    }
    const summary = await run.summary;
    expect(closed).toBe(true);
    expect(cancelled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(10);
    expect(summary.total).toBe(summary.sent + summary.failed);
  });

  it("yields what was read, then throws the source's error", async () => {
    async function* source() {
      for (let i = 0; i < 5; i++) {
        yield { subscription: { endpoint: `https://push.example/${i}` }, payload: "x", id: i };
      }
      throw new Error("database went away");
    }
    const run = startSendAll(source(), {
      ...base,
      concurrency: 2,
      signal: undefined,
      send: (item) => later(result(item), 2),
    });
    const ids: unknown[] = [];
    await expect(
      (async () => {
        for await (const r of run) ids.push(r.id);
      })(),
    ).rejects.toThrow("database went away");
    expect(ids.sort()).toEqual([0, 1, 2, 3, 4]);
    await expect(run.summary).rejects.toThrow("database went away");
  });

  it("lanes: a slow origin holds only its lane; its waiting items end at their deadline", async () => {
    const origin = (item: SendItem) => ((item.id as number) % 4 === 0 ? "slow" : "fast");
    let now = 0;
    const timers: Array<{ at: number; fn: () => void }> = [];
    const answered: number[] = [];
    let release!: () => void;
    const slowAnswer = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The 9 slow items that wait in their lane count against the window of 16 (their
    // origin is not paused): below it, the fast items never wait for them.
    const run = startSendAll(items(40), {
      ...base,
      concurrency: 16,
      signal: undefined,
      lanes: {
        limit: 1,
        admit: (item) => ({ lane: origin(item), deadline: now + 100 }),
        send: async (item, _ticket, _signal, onSent) => {
          onSent(); // on the wire at once: only the lane bounds it now
          if (origin(item) === "slow") await slowAnswer;
          answered.push(item.id as number);
          return result(item);
        },
        expired: (item) => result(item, { ok: false, statusCode: 0, reason: "timeout: lane" }),
        pausedFor: () => 0,
        now: () => now,
        timer: (ms, fn) => {
          const t = { at: now + ms, fn };
          timers.push(t);
          return () => timers.splice(timers.indexOf(t), 1);
        },
      },
    });
    const results: PushResult[] = [];
    const reading = (async () => {
      for await (const r of run) results.push(r);
    })();
    // Every fast item is answered while the slow origin's first item holds its lane (on the
    // wire, it no longer counts against the window) and the others wait in it.
    while (results.length < 30) await new Promise((r) => setImmediate(r));
    expect(results.every((r) => r.ok && (r.id as number) % 4 !== 0)).toBe(true);
    expect(answered).not.toContain(0);
    // Their deadline passes: the waiting slow items end with the lane's timeout result.
    now = 100;
    for (const t of timers.splice(0)) if (t.at <= now) t.fn();
    while (results.length < 39) await new Promise((r) => setImmediate(r));
    const expired = results.filter((r) => !r.ok);
    expect(expired).toHaveLength(9);
    for (const r of expired) expect(r.reason).toBe("timeout: lane");
    release();
    await reading;
    expect(results).toHaveLength(40);
    expect(results.at(-1)).toMatchObject({ ok: true, id: 0 });
    expect(await run.summary).toEqual({ total: 40, sent: 31, gone: 0, failed: 9 });
  });
});
