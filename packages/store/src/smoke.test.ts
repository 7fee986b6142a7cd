// Imports the BUILT package by name, as a user does: catches a broken exports map or
// a file missing from dist.
import { createMemoryStore, isSwpError, SessionIdError } from "@swp/store";
import { describeSubscriptionStore } from "@swp/store/conformance";
import { describe, expect, it } from "vitest";

describeSubscriptionStore(
  "memory store from dist",
  ({ now }) => createMemoryStore({ now }),
  { describe, it, expect },
  { clock: true },
);

describe("@swp/store (built)", () => {
  it("throws its own SessionIdError, marked as an swp error", async () => {
    const error = await createMemoryStore()
      .put("", {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionIdError);
    expect(isSwpError(error)).toBe(true);
  });
});
