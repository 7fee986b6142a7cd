/**
 * `@swp/ece` on Node, chosen by the `"node"` export condition: the same API as the portable
 * entry, on node:crypto's synchronous primitives.
 *
 * @module
 */

export * from "./node-api.ts";
export * from "./shared-exports.ts";
