// The built package, imported by its name as users import it (dist/, through "exports").
import * as pusher from "@swp/pusher";
import { describe, expect, it } from "vitest";

describe("@swp/pusher (built)", () => {
  it("exports the facade, its errors and isSwpError", () => {
    expect(Object.keys(pusher).sort()).toEqual([
      "DeclarativeError",
      "Pusher",
      "PusherError",
      "SessionIdError",
      "SubscriptionError",
      "createDeclarativeMessage",
      "isSwpError",
    ]);
    const p = new pusher.Pusher({ dbPath: ":memory:", subject: "mailto:smoke@example.com" });
    expect(typeof p.notifyAll).toBe("function");
    expect(pusher.isSwpError(new pusher.PusherError("ERR_PUSHER_CLOSED", "closed"))).toBe(true);
    expect(pusher.isSwpError(new pusher.SessionIdError("empty"))).toBe(true);
  });

  it("resolves to dist/, not to the sources", async () => {
    const resolved = import.meta.resolve("@swp/pusher");
    expect(resolved).toMatch(/\/packages\/pusher\/dist\/index\.js$/);
  });
});
