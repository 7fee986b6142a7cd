/**
 * `@swp/vapid`: application server keys, ES256 tokens, Authorization headers and their
 * verification for Web Push (RFC 8292). This is the Node entry, chosen by the `"node"`
 * export condition: the same API as the portable entry, on node:crypto's synchronous
 * primitives.
 *
 * @module
 */

// The shared vocabulary of @swp/subscription, bundled into this package at build time.
export { EncodingError, isSwpError, SwpError } from "@swp/subscription";
export { VapidError, type VapidErrorCode } from "./errors.ts";
export type { VapidApi } from "./lib/bind-api.ts";
export {
  createVapid,
  generateVapidKeys,
  publicKeyFromPem,
  publicKeyToPem,
  vapidKeysFromBase64Url,
  vapidKeysFromJwk,
  vapidKeysFromPem,
  vapidKeysToBase64Url,
  vapidKeysToJwk,
  vapidKeysToPem,
  verifyVapid,
} from "./node-api.ts";
export type {
  Vapid,
  VapidBase64UrlKeys,
  VapidClaims,
  VapidEncoding,
  VapidJwk,
  VapidKeys,
  VapidOptions,
  VapidPemOptions,
  VapidVerification,
  VerifyVapidOptions,
} from "./types.ts";
