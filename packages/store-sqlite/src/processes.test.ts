// Several processes on one file, and a process killed mid-write: what WAL, the busy
// timeout and write-first transactions are for. The children use the BUILT package.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteStore } from "./sqlite-store.ts";

const dir = mkdtempSync(join(tmpdir(), "swp-store-processes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const writerScript = fileURLToPath(new URL("./test-support/writer.mjs", import.meta.url));

interface Writer {
  child: ChildProcess;
  /** Session ids the child reported as committed, in order. */
  reported: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when a "wait" writer has opened the store. */
  ready: Promise<void>;
  /** When each commit was reported (ms, this process's clock). */
  times: number[];
}

function startWriter(path: string, prefix: string, count: number, mode = "run"): Writer {
  const child = spawn(process.execPath, [writerScript, path, prefix, String(count), mode], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let markReady = () => {};
  const writer: Writer = {
    child,
    reported: [],
    stderr: [],
    exited: new Promise((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    ),
    ready:
      mode === "wait"
        ? new Promise((resolve, reject) => {
            markReady = resolve;
            // A writer that dies before it is ready fails the test at once, with its stderr.
            child.once("exit", (code, signal) =>
              reject(
                new Error(
                  `writer exited (${code ?? signal}) before ready: ${writer.stderr.join("")}`,
                ),
              ),
            );
          })
        : Promise.resolve(),
    times: [],
  };
  let pending = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      if (line === "ready") markReady();
      else if (line !== "done") {
        writer.reported.push(line);
        writer.times.push(performance.now());
      }
    }
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => writer.stderr.push(chunk));
  return writer;
}

/** Fails with the writers' state instead of letting the test time out blind. */
async function withDeadline<T>(work: Promise<T>, ms: number, state: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`writers still running after ${ms} ms: ${state()}`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function integrity(path: string): string {
  const raw = new Database(path, { readonly: true });
  try {
    return raw.pragma("integrity_check", { simple: true }) as string;
  } finally {
    raw.close();
  }
}

describe("several processes", () => {
  it("two processes writing 500 rows each at once, from a file neither created: all 1,000 land", async () => {
    const path = join(dir, "two-writers.db");
    // Both open the new file at once (one migrates, the other waits for it), then both
    // start writing on the same signal.
    const writers = [startWriter(path, "a", 500, "wait"), startWriter(path, "b", 500, "wait")];
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.child.stdin!.end("go\n");
    const exits = await withDeadline(Promise.all(writers.map((w) => w.exited)), 45_000, () =>
      writers
        .map((w) => `${w.reported.length} rows reported, stderr: ${w.stderr.join("")}`)
        .join("; "),
    );
    for (const [n, writer] of writers.entries()) {
      expect(writer.stderr.join("")).toBe("");
      expect(exits[n]).toEqual({ code: 0, signal: null });
      expect(writer.reported.length).toBe(500);
    }
    // The two really wrote at the same time.
    const [a, b] = writers.map((w) => [w.times[0]!, w.times.at(-1)!] as const);
    expect(a![0] < b![1] && b![0] < a![1]).toBe(true);
    const store = await createSqliteStore({ path });
    expect(await store.count()).toBe(1000);
    for (const id of [...writers[0]!.reported, ...writers[1]!.reported]) {
      expect((await store.get(id))?.subscription.endpoint).toBe(`https://push.example.net/${id}`);
    }
    expect(await store.count({ groupId: 2 })).toBe(2 * Math.floor(500 / 3));
    await store.close();
    expect(integrity(path)).toBe("ok");
  }, 60_000);

  it("a writer killed with SIGKILL mid-write loses no reported row and leaves a sound file", async () => {
    const path = join(dir, "killed.db");
    const writer = startWriter(path, "k", 1_000_000);
    // Kill once it has reported a few hundred commits, while it is still writing.
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (writer.reported.length >= 300) {
          writer.child.stdout!.off("data", check);
          resolve();
        }
      };
      writer.child.stdout!.on("data", check);
      writer.exited.then(({ code, signal }) =>
        reject(new Error(`writer exited (${code ?? signal}) early: ${writer.stderr.join("")}`)),
      );
    });
    writer.child.kill("SIGKILL");
    expect(await writer.exited).toEqual({ code: null, signal: "SIGKILL" });
    const reported = [...writer.reported];
    expect(reported.length).toBeGreaterThanOrEqual(300);
    expect(reported.length).toBeLessThan(1_000_000);

    // The WAL of the killed process is recovered on open.
    const store = await createSqliteStore({ path });
    for (const id of reported) expect((await store.get(id))?.sessionId).toBe(id);
    // Rows it committed but had no time to report may be there too; nothing else.
    const count = await store.count();
    expect(count).toBeGreaterThanOrEqual(reported.length);
    expect(count).toBeLessThanOrEqual(reported.length + 1_000);
    await store.put("after-crash", {
      endpoint: "https://push.example.net/after",
      keys: (await store.get(reported[0]!))!.subscription.keys,
    });
    await store.close();
    expect(integrity(path)).toBe("ok");
  }, 60_000);
});
