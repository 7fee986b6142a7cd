// How the server reports what goes wrong: one log line each, no stack traces, no 500 for
// a client that went away, nothing of the details in the answer.
import { once } from "node:events";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MemoryDemo, rawRequest, startMemoryDemo } from "./test-support/memory-demo.ts";

let demo: MemoryDemo;
beforeAll(async () => {
  demo = await startMemoryDemo();
});
afterAll(() => demo.close());

/** Sends the headers and the first bytes of a 1000-byte body, then drops the connection. */
async function abortMidBody(path: string): Promise<void> {
  const socket = connect(demo.port, "127.0.0.1");
  await once(socket, "connect");
  const received = once(demo.server, "request");
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: localhost:${demo.port}\r\nContent-Type: application/json\r\n` +
      'Content-Length: 1000\r\n\r\n{"subscription":',
  );
  // The server has the request and is reading its body: the abort lands mid-body.
  await received;
  socket.destroy();
}

describe("the server's log", () => {
  it("has one line, without a stack or a 500, for a client that aborts mid-body", async () => {
    const before = demo.logs.length;
    await abortMidBody("/api/subscribe");
    await expect.poll(() => demo.logs.length - before, { timeout: 5_000 }).toBe(1);
    const [line] = demo.logs.slice(before);
    expect(line).toMatch(
      /^demo: POST \/api\/subscribe: the client closed the connection after \d+ of 1000 bytes of the body$/,
    );
    // Still serving.
    expect((await rawRequest(demo.port, "GET", "/api/vapid-public-key", {})).status).toBe(200);
    expect(demo.logs.length - before).toBe(1);
  });

  it("has one line for an unexpected failure, whose details the client never sees", async () => {
    const original = demo.pusher.notifyAll;
    demo.pusher.notifyAll = async () => {
      const error = new Error("database is locked\n(while reading /srv/demo/subscriptors.db)");
      (error as Error & { code: string }).code = "SQLITE_BUSY";
      throw error;
    };
    try {
      const before = demo.logs.length;
      const answer = await rawRequest(demo.port, "POST", "/api/notify-all", {}, { title: "x" });
      expect(answer.status).toBe(500);
      expect(answer.json).toEqual({ error: "internal error", code: "ERR_DEMO_INTERNAL" });
      const lines = demo.logs.slice(before);
      expect(lines).toEqual([
        "demo: POST /api/notify-all: failed: Error [SQLITE_BUSY]: database is locked (while reading /srv/demo/subscriptors.db)",
      ]);
    } finally {
      demo.pusher.notifyAll = original;
    }
  });

  it("stays empty for refusals: they are the client's mistakes, told to the client", async () => {
    const before = demo.logs.length;
    const answer = await rawRequest(demo.port, "POST", "/api/subscribe", {}, { subscription: 1 });
    expect(answer.status).toBe(400);
    // A session without a subscription (the pusher's ERR_PUSHER_UNKNOWN_SESSION): 404.
    const unknown = await rawRequest(demo.port, "POST", "/api/notify-me", {}, {});
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ code: "ERR_DEMO_NO_SUBSCRIPTION" });
    expect(demo.logs.length).toBe(before);
  });
});
