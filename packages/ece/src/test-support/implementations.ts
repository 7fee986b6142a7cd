import * as portable from "../index.ts";
import { createEce } from "../lib/create-ece.ts";
import { nodeCryptoPrimitives } from "../lib/node-crypto-primitives.ts";
import type { Primitives } from "../lib/primitives.ts";
import { webCryptoPrimitives } from "../lib/web-crypto-primitives.ts";
import * as node from "../node.ts";

export type EceModule = typeof portable;

/** Both entries and their primitives, for `describe.each`: every test runs against each. */
export const implementations: [name: string, ece: EceModule, primitives: Primitives][] = [
  ["node", node, nodeCryptoPrimitives],
  ["portable", portable, webCryptoPrimitives],
];

export { createEce };
