// Both entries, so every behaviour test runs on WebCrypto and on node:crypto.
import * as portable from "../index.ts";
import * as node from "../node.ts";

export type Entry = typeof portable;

export const entries: ReadonlyArray<readonly [string, Entry]> = [
  ["webcrypto", portable],
  ["node:crypto", node],
];
