/**
 * `@swp/vapid` on node:crypto: the same functions as the portable entry (see its docs), with
 * synchronous node:crypto primitives, which are several times faster on Node.
 *
 * @module
 */

import { bindVapidApi, type VapidApi } from "./lib/bind-api.ts";
import { nodePrimitives } from "./lib/primitives-node.ts";

const api = bindVapidApi(nodePrimitives);

/** {@link VapidApi.generateVapidKeys} on node:crypto. @example `await generateVapidKeys()` */
export const generateVapidKeys: VapidApi["generateVapidKeys"] = api.generateVapidKeys;
/** {@link VapidApi.vapidKeysFromPem} on node:crypto. @example `await vapidKeysFromPem(pem)` */
export const vapidKeysFromPem: VapidApi["vapidKeysFromPem"] = api.vapidKeysFromPem;
/** {@link VapidApi.vapidKeysToPem} on node:crypto. @example `await vapidKeysToPem(keys)` */
export const vapidKeysToPem: VapidApi["vapidKeysToPem"] = api.vapidKeysToPem;
/** {@link VapidApi.publicKeyToPem} on node:crypto. @example `await publicKeyToPem(keys.publicKey)` */
export const publicKeyToPem: VapidApi["publicKeyToPem"] = api.publicKeyToPem;
/** {@link VapidApi.publicKeyFromPem} on node:crypto. @example `await publicKeyFromPem(pem)` */
export const publicKeyFromPem: VapidApi["publicKeyFromPem"] = api.publicKeyFromPem;
/** {@link VapidApi.vapidKeysFromBase64Url} on node:crypto. @example `await vapidKeysFromBase64Url({ privateKey })` */
export const vapidKeysFromBase64Url: VapidApi["vapidKeysFromBase64Url"] =
  api.vapidKeysFromBase64Url;
/** {@link VapidApi.vapidKeysToBase64Url} on node:crypto. @example `await vapidKeysToBase64Url(keys)` */
export const vapidKeysToBase64Url: VapidApi["vapidKeysToBase64Url"] = api.vapidKeysToBase64Url;
/** {@link VapidApi.vapidKeysFromJwk} on node:crypto. @example `await vapidKeysFromJwk(jwk)` */
export const vapidKeysFromJwk: VapidApi["vapidKeysFromJwk"] = api.vapidKeysFromJwk;
/** {@link VapidApi.vapidKeysToJwk} on node:crypto. @example `await vapidKeysToJwk(keys)` */
export const vapidKeysToJwk: VapidApi["vapidKeysToJwk"] = api.vapidKeysToJwk;
/** {@link VapidApi.createVapid} on node:crypto. @example `createVapid({ keys, subject: "mailto:ops@example.com" })` */
export const createVapid: VapidApi["createVapid"] = api.createVapid;
/** {@link VapidApi.verifyVapid} on node:crypto. @example `await verifyVapid(authorization, { audience })` */
export const verifyVapid: VapidApi["verifyVapid"] = api.verifyVapid;
