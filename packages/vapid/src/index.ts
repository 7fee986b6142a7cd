/**
 * `@swp/vapid`: application server keys, ES256 tokens, Authorization headers and their
 * verification for Web Push (RFC 8292). This is the portable entry (WebCrypto and
 * `Uint8Array` only); on Node the `"node"` export condition selects the same API on
 * node:crypto.
 *
 * @module
 */

// The shared vocabulary of @swp/subscription, bundled into this package at build time.
export { EncodingError, isSwpError, SwpError } from "@swp/subscription";
export { VapidError, type VapidErrorCode } from "./errors.ts";
export type { VapidApi } from "./lib/bind-api.ts";
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
} from "./webcrypto-api.ts";
