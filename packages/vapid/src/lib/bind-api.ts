// Binds the shared logic to one runtime's primitives. Each entry calls this once, so both
// entries expose exactly the same functions with exactly the same behaviour.

import type {
  Vapid,
  VapidBase64UrlKeys,
  VapidJwk,
  VapidKeys,
  VapidOptions,
  VapidPemOptions,
  VapidVerification,
  VerifyVapidOptions,
} from "../types.ts";
import {
  publicKeyFromPem,
  publicKeyToPem,
  vapidKeysFromBase64Url,
  vapidKeysFromJwk,
  vapidKeysFromPem,
  vapidKeysToBase64Url,
  vapidKeysToJwk,
  vapidKeysToPem,
} from "./key-formats.ts";
import type { Primitives } from "./primitives.ts";
import { createVapidWith } from "./vapid-signer.ts";
import { verifyVapidWith } from "./verify.ts";

/** The public functions of `@swp/vapid`, as each entry exports them. */
export interface VapidApi {
  generateVapidKeys(): Promise<VapidKeys>;
  vapidKeysFromPem(pem: string): Promise<VapidKeys>;
  vapidKeysToPem(keys: VapidKeys, options?: VapidPemOptions): Promise<string>;
  publicKeyToPem(publicKey: Uint8Array): Promise<string>;
  publicKeyFromPem(pem: string): Promise<Uint8Array>;
  vapidKeysFromBase64Url(keys: { publicKey?: string; privateKey: string }): Promise<VapidKeys>;
  vapidKeysToBase64Url(keys: VapidKeys): Promise<VapidBase64UrlKeys>;
  vapidKeysFromJwk(jwk: VapidJwk | Record<string, unknown>): Promise<VapidKeys>;
  vapidKeysToJwk(keys: VapidKeys): Promise<VapidJwk>;
  createVapid(options: VapidOptions): Vapid;
  verifyVapid(authorization: string, options: VerifyVapidOptions): Promise<VapidVerification>;
}

/** The API on `primitives`. */
export function bindVapidApi(primitives: Primitives): VapidApi {
  return {
    generateVapidKeys: () => primitives.generateKeys(),
    vapidKeysFromPem: (pem) => vapidKeysFromPem(primitives, pem),
    vapidKeysToPem: (keys, options) => vapidKeysToPem(primitives, keys, options),
    publicKeyToPem: async (publicKey) => publicKeyToPem(publicKey),
    publicKeyFromPem: async (pem) => publicKeyFromPem(pem),
    vapidKeysFromBase64Url: (keys) => vapidKeysFromBase64Url(primitives, keys),
    vapidKeysToBase64Url: (keys) => vapidKeysToBase64Url(primitives, keys),
    vapidKeysFromJwk: (jwk) => vapidKeysFromJwk(primitives, jwk),
    vapidKeysToJwk: (keys) => vapidKeysToJwk(primitives, keys),
    createVapid: (options) => createVapidWith(primitives, options),
    verifyVapid: (authorization, options) => verifyVapidWith(primitives, authorization, options),
  };
}
