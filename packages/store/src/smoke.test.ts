// Imports the BUILT package by name, as a user does: catches a broken exports map or a
// file missing from dist. The specifiers are variables so typechecking does not need dist/.
import { beforeAll, describe, expect, it } from "vitest";

type Store = typeof import("./index.ts");
type Conformance = typeof import("./conformance/index.ts");

const packageName = "@swp/store";
const conformanceName = "@swp/store/conformance";
const store = (await import(/* @vite-ignore */ packageName)) as Store;
const conformance = (await import(/* @vite-ignore */ conformanceName)) as Conformance;

conformance.describeSubscriptionStore(
  "memory store from dist",
  ({ now }) => store.createMemoryStore({ now }),
  { describe, it, expect },
  { clock: true },
);

describe("@swp/store (built)", () => {
  let error: unknown;
  beforeAll(async () => {
    error = await store
      .createMemoryStore()
      .put("", {})
      .catch((e: unknown) => e);
  });

  it("throws its own SessionIdError, marked as an swp error", () => {
    expect(error).toBeInstanceOf(store.SessionIdError);
    expect(store.isSwpError(error)).toBe(true);
  });
});
