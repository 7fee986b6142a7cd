/**
 * `@swp/vapid` on WebCrypto: the portable implementation (browsers, Deno, Bun, workers, and
 * Node when the `"node"` export condition is not used).
 *
 * @module
 */

import { bindVapidApi, type VapidApi } from "./lib/bind-api.ts";
import { webCryptoPrimitives } from "./lib/primitives-webcrypto.ts";

const api = bindVapidApi(webCryptoPrimitives);

/**
 * A fresh VAPID key pair (RFC 8292 section 3.2): 65-byte uncompressed P-256 public key and
 * 32-byte private scalar.
 *
 * @example
 * ```ts
 * const keys = await generateVapidKeys()
 * const { publicKey } = await vapidKeysToBase64Url(keys) // give this to pushManager.subscribe
 * ```
 */
export const generateVapidKeys: VapidApi["generateVapidKeys"] = api.generateVapidKeys;

/**
 * Keys from a PEM private key: PKCS #8 (`-----BEGIN PRIVATE KEY-----`, RFC 5208) or SEC 1
 * (`-----BEGIN EC PRIVATE KEY-----`, RFC 5915; what openssl and py_vapid write), with or
 * without the embedded public key, optionally after an `EC PARAMETERS` block. The public key
 * is derived from the private one and checked against an embedded one.
 * Rejects with `ERR_VAPID_PEM_INVALID`, `ERR_VAPID_KEY_INVALID` or `ERR_VAPID_KEY_MISMATCH`.
 *
 * @example
 * ```ts
 * const keys = await vapidKeysFromPem(await readFile("private_key.pem", "utf8"))
 * ```
 */
export const vapidKeysFromPem: VapidApi["vapidKeysFromPem"] = api.vapidKeysFromPem;

/**
 * The private key as PEM: PKCS #8 by default, or SEC 1 `EC PRIVATE KEY` with
 * `{ format: "sec1" }` (readable by py_vapid and the Python original). Both embed the
 * public key.
 *
 * @example
 * ```ts
 * await writeFile("private_key.pem", await vapidKeysToPem(keys, { format: "sec1" }), { mode: 0o600 })
 * ```
 */
export const vapidKeysToPem: VapidApi["vapidKeysToPem"] = api.vapidKeysToPem;

/**
 * The public key as a SubjectPublicKeyInfo `PUBLIC KEY` PEM (RFC 5480).
 *
 * @example
 * ```ts
 * await writeFile("public_key.pem", await publicKeyToPem(keys.publicKey))
 * ```
 */
export const publicKeyToPem: VapidApi["publicKeyToPem"] = api.publicKeyToPem;

/**
 * The 65-byte public key from a SubjectPublicKeyInfo `PUBLIC KEY` PEM (RFC 5480).
 *
 * @example
 * ```ts
 * const publicKey = await publicKeyFromPem(await readFile("public_key.pem", "utf8"))
 * ```
 */
export const publicKeyFromPem: VapidApi["publicKeyFromPem"] = api.publicKeyFromPem;

/**
 * Keys from base64url strings (RFC 4648 section 5), the form web-push and browsers use.
 * `publicKey` may be left out; it is derived. A given one must match the private key.
 *
 * @example
 * ```ts
 * const keys = await vapidKeysFromBase64Url({ publicKey: env.VAPID_PUBLIC, privateKey: env.VAPID_PRIVATE })
 * ```
 */
export const vapidKeysFromBase64Url: VapidApi["vapidKeysFromBase64Url"] =
  api.vapidKeysFromBase64Url;

/**
 * Both keys as base64url without padding; `publicKey` is what `applicationServerKey` takes.
 *
 * @example
 * ```ts
 * const { publicKey } = await vapidKeysToBase64Url(keys)
 * ```
 */
export const vapidKeysToBase64Url: VapidApi["vapidKeysToBase64Url"] = api.vapidKeysToBase64Url;

/**
 * Keys from a private P-256 JSON Web Key `{ kty: "EC", crv: "P-256", x, y, d }`
 * (RFC 7518 section 6.2). `x` and `y` may be left out.
 *
 * @example
 * ```ts
 * const keys = await vapidKeysFromJwk(JSON.parse(env.VAPID_JWK))
 * ```
 */
export const vapidKeysFromJwk: VapidApi["vapidKeysFromJwk"] = api.vapidKeysFromJwk;

/**
 * The pair as a private JSON Web Key `{ kty: "EC", crv: "P-256", x, y, d }` (RFC 7518
 * section 6.2), importable by WebCrypto and jose.
 *
 * @example
 * ```ts
 * const jwk = await vapidKeysToJwk(keys)
 * ```
 */
export const vapidKeysToJwk: VapidApi["vapidKeysToJwk"] = api.vapidKeysToJwk;

/**
 * A VAPID signer (RFC 8292): validates keys, subject and expiration synchronously (a
 * `VapidError` is thrown right here), then `headers(endpoint, encoding)` builds the
 * Authorization header for each push. One token per audience (the endpoint's origin) is
 * signed and reused until shortly before `exp` (at most one hour before, at most half the
 * lifetime); `exp` is never more than 24 hours ahead. A key pair that does not match is
 * reported by the first `headers()` call (`ERR_VAPID_KEY_MISMATCH`).
 *
 * @example
 * ```ts
 * const vapid = createVapid({ keys, subject: "mailto:ops@example.com" })
 * const { Authorization } = await vapid.headers("https://fcm.googleapis.com/fcm/send/abc")
 * // Authorization: "vapid t=eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.…, k=BK…"
 * ```
 */
export const createVapid: VapidApi["createVapid"] = api.createVapid;

/**
 * Verifies a VAPID Authorization header the way a push service does (RFC 8292 sections 2–4):
 * `vapid t=<jwt>, k=<key>`, or legacy `WebPush <jwt>` with the `Crypto-Key` header's
 * `p256ecdsa=` key passed as `cryptoKey`. Checks the ES256 header, the signature (raw
 * r ‖ s), `aud` against `audience`, that `exp` is in the future and at most 24 h ahead.
 * Rejects with a `VapidError` naming the failed check.
 *
 * @example
 * ```ts
 * const { claims, publicKey } = await verifyVapid(req.headers.authorization, {
 *   audience: "https://push.example.net",
 * })
 * ```
 */
export const verifyVapid: VapidApi["verifyVapid"] = api.verifyVapid;
