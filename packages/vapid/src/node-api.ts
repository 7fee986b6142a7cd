/**
 * `@swp/vapid` on node:crypto: the same functions as the portable entry, bound to synchronous
 * node:crypto primitives, which are several times faster on Node. Types and docs are the
 * portable entry's (./webcrypto-api.ts; package.json maps both conditions to one .d.ts),
 * so they are not repeated here.
 *
 * @module
 */

import { bindVapidApi } from "./lib/bind-api.ts";
import { nodePrimitives } from "./lib/primitives-node.ts";

export const {
  generateVapidKeys,
  vapidKeysFromPem,
  vapidKeysToPem,
  publicKeyToPem,
  publicKeyFromPem,
  vapidKeysFromBase64Url,
  vapidKeysToBase64Url,
  vapidKeysFromJwk,
  vapidKeysToJwk,
  createVapid,
  verifyVapid,
} = bindVapidApi(nodePrimitives);
