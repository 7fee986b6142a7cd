// Without PostgreSQL: what the facade says when distributed mode is asked for without its
// configuration or its optional package (distributed.postgres-test.ts runs the real thing).
import { createMemoryStore } from "@swp/store";
import { describe, expect, it } from "vitest";
import { importOptional } from "./lib/optional-package.ts";
import { Pusher } from "./pusher.ts";

describe("distributed mode without its prerequisites", () => {
  it("notifyAll({ distributed: true }) and runWorker() without the postgres option: ERR_PUSHER_NO_POSTGRES", async () => {
    const pusher = new Pusher({ dbPath: ":memory:", subject: "mailto:ops@example.com" });
    await expect(pusher.notifyAll("hi", { distributed: true })).rejects.toMatchObject({
      name: "PusherError",
      code: "ERR_PUSHER_NO_POSTGRES",
      message: expect.stringContaining('postgres: "postgres://…"'),
    });
    await expect(pusher.runWorker()).rejects.toMatchObject({ code: "ERR_PUSHER_NO_POSTGRES" });
    await pusher.close();
  });

  it("options that cannot travel to the workers are refused, not dropped", async () => {
    const pusher = new Pusher({
      dbPath: ":memory:",
      subject: "mailto:ops@example.com",
      postgres: "postgres://u:p@127.0.0.1:1/d",
    });
    await expect(pusher.notifyAll("hi", { distributed: true, onResult: () => {} })).rejects.toThrow(
      "onResult is not available with distributed: true",
    );
    await expect(pusher.notifyAll("hi", { distributed: true, retries: 1 })).rejects.toThrow(
      "retries would be ignored",
    );
    await pusher.close();
  });

  it("distributed: true with a store of the caller's is refused: the workers would reach another audience", async () => {
    const pusher = new Pusher({
      subject: "mailto:ops@example.com",
      postgres: "postgres://u:p@127.0.0.1:1/d",
      store: createMemoryStore(),
    });
    await expect(pusher.notifyAll("hi", { distributed: true })).rejects.toMatchObject({
      name: "PusherError",
      code: "ERR_PUSHER_DISTRIBUTED_STORE",
      message: expect.stringContaining("drop the store option"),
    });
    await pusher.close();
  });

  it("a missing optional package is ERR_PUSHER_MISSING_PACKAGE naming the install command", async () => {
    await expect(importOptional("@swp/no-such-package", "this feature")).rejects.toMatchObject({
      name: "PusherError",
      code: "ERR_PUSHER_MISSING_PACKAGE",
      message:
        "this feature needs the optional package @swp/no-such-package: install it next to @swp/pusher (npm install @swp/no-such-package)",
    });
  });

  it("the postgres option takes a connection string or an object, nothing else", () => {
    expect(() => new Pusher({ postgres: "" })).toThrow(TypeError);
    expect(() => new Pusher({ postgres: { schema: "x" } as never })).toThrow(TypeError);
    expect(
      () => new Pusher({ postgres: { connectionString: "postgres://h/d", schema: "push" } }),
    ).not.toThrow();
  });
});
