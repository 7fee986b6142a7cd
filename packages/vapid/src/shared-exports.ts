// What both entries of this package export besides their bound functions: the shared
// vocabulary, the errors and the types. index.ts adds the WebCrypto functions,
// node.ts the same functions on node:crypto.

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
