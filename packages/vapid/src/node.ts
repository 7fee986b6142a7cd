/**
 * `@swp/vapid`: application server keys, ES256 tokens, Authorization headers and their
 * verification for Web Push (RFC 8292). This is the Node entry, chosen by the `"node"`
 * export condition: the same API as the portable entry, on node:crypto's synchronous
 * primitives.
 *
 * @module
 */

export * from "./node-api.ts";
export * from "./shared-exports.ts";
