// The Python original and our store on one subscriptors.db at the same time, as during a
// migration (or after a rollback): two real processes, one running the original's own SQL
// statements (in Node, and in Python's sqlite3 when python3 is installed), the other our
// store through the built package. Each must see what the other writes.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { subscription } from "./test-support/fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "swp-python-coexistence-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = (name: string) => fileURLToPath(new URL(`./test-support/${name}`, import.meta.url));

/** A child speaking one JSON line per command and per answer, one command at a time. */
class Child {
  readonly #process: ChildProcess;
  readonly #waiting: Array<{ resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  readonly #stderr: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(command: string, args: string[]) {
    this.#process = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.#process
      .stderr!.setEncoding("utf8")
      .on("data", (chunk: string) => this.#stderr.push(chunk));
    createInterface({ input: this.#process.stdout! }).on("line", (line) =>
      this.#waiting.shift()?.resolve(line),
    );
    this.exited = new Promise((resolve) =>
      this.#process.once("exit", (code) => {
        for (const waiter of this.#waiting.splice(0)) {
          waiter.reject(new Error(`child exited (${code}): ${this.#stderr.join("")}`));
        }
        resolve(code);
      }),
    );
  }

  /** The next line the child prints, parsed; rejects with the child's error answer. */
  async next(what: string): Promise<unknown> {
    const line = await new Promise<string>((resolve, reject) =>
      this.#waiting.push({ resolve, reject }),
    );
    const answer = JSON.parse(line) as { ok: boolean; value: unknown; error?: string };
    if (!answer.ok) throw new Error(`${what} failed in the child: ${answer.error}`);
    return answer.value;
  }

  call(op: string, args: Record<string, unknown> = {}): Promise<unknown> {
    const answer = this.next(op);
    this.#process.stdin!.write(`${JSON.stringify({ op, ...args })}\n`);
    return answer;
  }

  async stop(): Promise<void> {
    this.#process.stdin!.end();
    expect(await this.exited).toBe(0);
    expect(this.#stderr.join("")).toBe("");
  }
}

/** The JSON text a browser's JSON.stringify(subscription) gives (what the original stored). */
const browserJson = (n: number | string) =>
  JSON.stringify({
    endpoint: subscription(n).endpoint,
    expirationTime: null,
    keys: subscription(n).keys,
  });

const python3 = spawnSync(
  "python3",
  ["-c", "import sqlite3, json; print(sqlite3.sqlite_version)"],
  {
    encoding: "utf8",
  },
);
const noPython =
  python3.status === 0 ? undefined : "python3 with its sqlite3 module is not installed";
if (noPython !== undefined) console.warn(`skipping the Python-process variant: ${noPython}`);

const originals = [
  {
    name: "the original's SQL run by Node",
    command: process.execPath,
    script: "python-original.mjs",
    skip: undefined,
  },
  {
    name: "the original's SQL run by Python's sqlite3",
    command: "python3",
    script: "python-original.py",
    skip: noPython,
  },
];

const children: Child[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) await child.stop().catch(() => {});
});
function start(command: string, args: string[]): Child {
  const child = new Child(command, args);
  children.push(child);
  return child;
}

describe.each(originals)("$name, beside our store", ({ command, script: name, skip }) => {
  it.skipIf(skip)(
    "each sees what the other adds, changes and removes, before and after the upgrade",
    async () => {
      const path = join(dir, `${name}.db`);
      const original = start(command, [script(name), path]);
      // Before the upgrade: the original's own database.
      await original.call("newSubscription", {
        sessionId: "py-1",
        subscription: browserJson(1),
        groupId: 0,
      });
      await original.call("newSubscription", {
        sessionId: "py-2",
        subscription: browserJson(2),
        groupId: 13,
      });
      await original.call("newSubscription", {
        sessionId: "py-3",
        subscription: browserJson(3),
        groupId: 13,
      });

      // Our store upgrades the file (in its own process) while the original keeps running.
      const ours = start(process.execPath, [script("store-child.mjs"), path]);
      expect(await ours.next("open")).toBe("ready");
      expect(await ours.call("list")).toEqual([
        { sessionId: "py-1", endpoint: subscription(1).endpoint, groupId: 0 },
        { sessionId: "py-2", endpoint: subscription(2).endpoint, groupId: 13 },
        { sessionId: "py-3", endpoint: subscription(3).endpoint, groupId: 13 },
      ]);
      // The original still finds its rows (it would have seen 0 if its table were moved away).
      expect(await original.call("getSubscription", { sessionId: "py-2" })).toBe(browserJson(2));

      // It subscribes someone new: ours sees the subscription and its group.
      await original.call("newSubscription", {
        sessionId: "py-4",
        subscription: browserJson(4),
        groupId: 5,
      });
      expect(await ours.call("get", { sessionId: "py-4" })).toEqual({
        subscription: { ...subscription(4), expirationTime: null },
        groupId: 5,
      });

      // Ours subscribes someone: the original finds it its own three ways.
      await ours.call("put", { sessionId: "ts-1", subscription: subscription(11), groupId: 13 });
      const text = (await original.call("getSubscription", { sessionId: "ts-1" })) as string;
      expect(text).toBe(browserJson(11)); // the browser's JSON.stringify, byte for byte
      expect(await original.call("getGroupId", { sessionId: "ts-1" })).toBe(13);
      expect(await original.call("getIdSession", { subscription: text })).toBe("ts-1");
      const group13 = (await original.call("notifyAllRows", { groupId: 13 })) as Array<{
        session_id: string;
      }>;
      expect(group13.map((row) => row.session_id).sort()).toEqual(["py-2", "py-3", "ts-1"]);

      // The original changes a subscription (its UPDATE path): ours follows.
      await original.call("newSubscription", {
        sessionId: "py-4",
        subscription: browserJson(44),
        groupId: 6,
      });
      expect(await ours.call("get", { sessionId: "py-4" })).toMatchObject({
        subscription: { endpoint: subscription(44).endpoint },
        groupId: 6,
      });

      // Removals, both ways.
      await original.call("removeSubscription", { sessionId: "py-1" });
      expect(await ours.call("get", { sessionId: "py-1" })).toBe(null);
      expect(await ours.call("remove", { sessionId: "ts-1" })).toBe(true);
      expect(await original.call("getSubscription", { sessionId: "ts-1" })).toBe(null);

      // The same browser under a new session id, the original's way (it removes the old id
      // found by the JSON text), then ours' way (the move rule): one row per endpoint in both.
      await original.call("newSubscription", {
        sessionId: "py-2-again",
        subscription: browserJson(2),
        groupId: 0,
      });
      expect(await ours.call("get", { sessionId: "py-2" })).toBe(null);
      expect(await ours.call("get", { sessionId: "py-2-again" })).toMatchObject({ groupId: 0 });
      await ours.call("put", {
        sessionId: "ts-took-44",
        subscription: subscription(44),
        groupId: 1,
      });
      expect(await original.call("getSubscription", { sessionId: "py-4" })).toBe(null);
      expect(await original.call("getIdSession", { subscription: browserJson(44) })).toBe(
        "ts-took-44",
      );

      // A row ours cannot use (a group id that is not an integer) is the original's business:
      // its write succeeds and it reads the row back; ours does not list it.
      await original.call("newSubscription", {
        sessionId: "py-odd",
        subscription: browserJson(50),
        groupId: "admins",
      });
      expect(await original.call("getGroupId", { sessionId: "py-odd" })).toBe("admins");
      expect(await ours.call("get", { sessionId: "py-odd" })).toBe(null);

      // Both write at the same time, each in its own process: 80 new subscribers each.
      const count = 80;
      await Promise.all([
        original.call("bulk", {
          prefix: "pyc-",
          count,
          subscriptions: Array.from({ length: count }, (_, n) => browserJson(`pyc-${n}`)),
        }),
        ours.call("bulk", {
          prefix: "tsc-",
          count,
          subscriptions: Array.from({ length: count }, (_, n) => subscription(`tsc-${n}`)),
        }),
      ]);

      // Both tables now say the same, row for row (but the one ours cannot use).
      const theirs = (await original.call("notifyAllRows")) as Array<{
        session_id: string;
        subscription: string;
        group_id: number | string;
      }>;
      const mine = (await ours.call("list")) as Array<{
        sessionId: string;
        endpoint: string;
        groupId: number;
      }>;
      expect(mine).toHaveLength(3 + 2 * count); // py-2-again, py-3, ts-took-44 and the new ones
      expect(
        theirs
          .filter((row) => row.session_id !== "py-odd")
          .map((row) => ({
            sessionId: row.session_id,
            endpoint: (JSON.parse(row.subscription) as { endpoint: string }).endpoint,
            groupId: row.group_id,
          }))
          .sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1)),
      ).toEqual(mine);

      // A new process of ours (the triggers are in the file) sees the same.
      await ours.call("close");
      const again = start(process.execPath, [script("store-child.mjs"), path]);
      expect(await again.next("open")).toBe("ready");
      expect(await again.call("list")).toEqual(mine);
      const raw = new Database(path, { readonly: true });
      expect(raw.prepare("PRAGMA integrity_check").pluck().get()).toBe("ok");
      raw.close();
    },
  );
});
