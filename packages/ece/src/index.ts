/**
 * `@swp/ece`: RFC 8188 and RFC 8291 content encryption for Web Push. This is the portable
 * entry (WebCrypto and `Uint8Array` only); on Node the `"node"` export condition selects the
 * same API on node:crypto.
 *
 * @module
 */

export * from "./shared-exports.ts";
export * from "./webcrypto-api.ts";
