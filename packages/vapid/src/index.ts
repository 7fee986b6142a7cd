/**
 * `@swp/vapid`: application server keys, ES256 tokens, Authorization headers and their
 * verification for Web Push (RFC 8292). This is the portable entry (WebCrypto and
 * `Uint8Array` only); on Node the `"node"` export condition selects the same API on
 * node:crypto.
 *
 * @module
 */

export * from "./shared-exports.ts";
export * from "./webcrypto-api.ts";
