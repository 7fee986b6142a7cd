import type { PushResult } from "@swp/sender";
import { describe, expect, it } from "vitest";
import type { PushSummary } from "../summary.ts";
import { PendingQueue } from "./pending-queue.ts";

function result(statusCode: number, endpoint = "https://push.example.net/x"): PushResult {
  return {
    ok: statusCode >= 200 && statusCode < 300,
    statusCode,
    endpoint,
    gone: statusCode === 404 || statusCode === 410,
    attempts: 1,
    service: "other",
  };
}

/** A promise settled by hand, so the test decides the order of events. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("PendingQueue", () => {
  it("resolves wait() with every result, counted, once all calls have settled", async () => {
    const queue = new PendingQueue();
    const a = deferred<PushResult>();
    const b = deferred<PushResult>();
    queue.add(a.promise);
    queue.add(b.promise);
    expect(queue.size).toBe(2);
    let done = false;
    const waiting = queue.wait().then((s) => {
      done = true;
      return s;
    });
    b.resolve(result(410));
    await Promise.resolve();
    expect(done).toBe(false);
    a.resolve(result(201));
    const summary = await waiting;
    expect(summary).toMatchObject({ total: 2, sent: 1, gone: 1, failed: 0, errors: [] });
    expect(summary.results.map((r) => r.statusCode)).toEqual([410, 201]);
    expect(queue.size).toBe(0);
  });

  it("folds queued summaries in and records rejections as errors, never unhandled", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const queue = new PendingQueue();
      const summary: PushSummary = {
        total: 3,
        sent: 1,
        gone: 1,
        failed: 1,
        results: [result(201), result(404), result(500)],
        errors: [new Error("store down")],
      };
      const boom = new Error("unknown session id");
      queue.add(Promise.resolve(summary));
      queue.add(Promise.reject(boom));
      // A thrown value that is not an Error is wrapped, so that `errors` is always Error[].
      queue.add(Promise.reject("a string"));
      queue.add(Promise.resolve(result(429)));
      // Let the rejection go through a full turn of the event loop before wait() is called.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      const out = await queue.wait();
      expect(out).toMatchObject({ total: 4, sent: 1, gone: 1, failed: 2 });
      expect(out.errors).toHaveLength(3);
      expect(out.errors[0]?.message).toBe("store down");
      expect(out.errors[1]).toBe(boom);
      expect(out.errors[2]).toBeInstanceOf(Error);
      expect(out.errors[2]?.message).toBe('a value that is not an Error was thrown: "a string"');
      expect(out.errors[2]?.cause).toBe("a string");
      expect(out.results).toHaveLength(4);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("gives each wait() only the calls queued since the previous one", async () => {
    const queue = new PendingQueue();
    const slow = deferred<PushResult>();
    queue.add(slow.promise);
    const first = queue.wait();
    queue.add(Promise.resolve(result(201, "https://push.example.net/second")));
    const second = await queue.wait();
    expect(second.results.map((r) => r.endpoint)).toEqual(["https://push.example.net/second"]);
    slow.resolve(result(201, "https://push.example.net/first"));
    expect((await first).results.map((r) => r.endpoint)).toEqual([
      "https://push.example.net/first",
    ]);
    expect(await queue.wait()).toMatchObject({ total: 0, results: [], errors: [] });
  });

  it("keeps counts but no results for calls added with collect = false", async () => {
    const queue = new PendingQueue();
    queue.add(Promise.resolve(result(201)), false);
    queue.add(
      Promise.resolve({
        total: 1,
        sent: 0,
        gone: 0,
        failed: 1,
        results: [result(500)],
        errors: [],
      }),
      false,
    );
    queue.add(Promise.resolve(result(410)));
    const out = await queue.wait();
    expect(out).toMatchObject({ total: 3, sent: 1, gone: 1, failed: 1 });
    expect(out.results.map((r) => r.statusCode)).toEqual([410]);
  });

  it("settled() waits for every call, in every generation, without taking results", async () => {
    const queue = new PendingQueue();
    const a = deferred<PushResult>();
    const b = deferred<PushResult>();
    queue.add(a.promise);
    const firstWait = queue.wait();
    queue.add(b.promise);
    let settled = false;
    const all = queue.settled().then(() => {
      settled = true;
    });
    b.resolve(result(201));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    a.resolve(result(201));
    await all;
    expect(queue.size).toBe(0);
    expect((await firstWait).total).toBe(1);
    expect((await queue.wait()).total).toBe(1);
  });
});
