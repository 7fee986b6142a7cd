// Imports the BUILT package by name, as a user does: catches a broken exports map or a
// file missing from dist. Runs without PostgreSQL (broadcast.postgres-test.ts needs one).
import { describe, expect, it } from "vitest";

type Broadcast = typeof import("./index.ts");

const packageName = "@swp/broadcast";
const built = (await import(/* @vite-ignore */ packageName)) as Broadcast;

describe("@swp/broadcast (built)", () => {
  it("exports the coordinator, the worker and the error class", () => {
    expect(typeof built.openBroadcaster).toBe("function");
    expect(typeof built.runWorker).toBe("function");
    expect(built.DEFAULT_QUEUE).toBe("swp-broadcast");
    const error = new built.BroadcastError("ERR_BROADCAST_NOT_FOUND", "no such broadcast");
    expect(built.isSwpError(error)).toBe(true);
  });

  it("a database that is not there fails at open with ERR_STORE_OPEN (nothing listens on port 1)", async () => {
    await expect(
      built.openBroadcaster({ connectionString: "postgres://u:p@127.0.0.1:1/d" }),
    ).rejects.toMatchObject({ code: "ERR_STORE_OPEN" });
  });

  it("a worker needs a sender", async () => {
    await expect(
      built.runWorker({ connectionString: "postgres://u:p@127.0.0.1:1/d" } as never),
    ).rejects.toThrow("runWorker needs { sender }");
  });
});
