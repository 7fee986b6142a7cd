import * as portable from "../index.ts";
import { bindEceApi } from "../lib/bind-api.ts";
import type { Primitives } from "../lib/primitives.ts";
import { nodePrimitives } from "../lib/primitives-node.ts";
import { webCryptoPrimitives } from "../lib/primitives-webcrypto.ts";
import * as node from "../node.ts";

export type EceModule = typeof portable;

/** Both entries and their primitives, for `describe.each`: every test runs against each. */
export const implementations: [name: string, ece: EceModule, primitives: Primitives][] = [
  ["node", node, nodePrimitives],
  ["portable", portable, webCryptoPrimitives],
];

export { bindEceApi };
