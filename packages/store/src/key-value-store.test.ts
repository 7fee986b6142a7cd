// The README's "write your own store" example, run through the conformance suite, and
// checked to be the very code the README shows.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeSubscriptionStore } from "./conformance/index.ts";
import { createKeyValueStore, type KeyValue } from "./test-support/key-value-store.ts";

/** A sorted in-process key-value map standing in for Redis & co. */
function memoryKeyValue(): KeyValue {
  const map = new Map<string, string>();
  return {
    get: async (key) => map.get(key),
    set: async (key, value) => {
      map.set(key, value);
    },
    delete: async (key) => map.delete(key),
    scan: async (prefix, after, limit) =>
      [...map.keys()]
        .filter((key) => key.startsWith(prefix) && key > after)
        .sort()
        .slice(0, limit),
  };
}

describeSubscriptionStore(
  "README key-value example",
  ({ now }) => createKeyValueStore(memoryKeyValue(), now),
  { describe, it, expect },
  { clock: true },
);

describe("README", () => {
  it("shows the example store exactly as tested", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const source = readFileSync(
      new URL("./test-support/key-value-store.ts", import.meta.url),
      "utf8",
    );
    const block = /```ts example:key-value-store\n([\s\S]*?)```/.exec(readme)?.[1];
    // The file imports the package's source; the README imports it by name.
    expect(block).toBe(source.replace('from "../index.ts"', 'from "@swp/store"'));
  });
});
