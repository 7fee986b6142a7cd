// verifyVapid: what a push service does with an incoming Authorization header
// (RFC 8292 sections 2–4), for tests and for anyone running a push service.

import { base64urlDecode } from "@swp/subscription";
import { VapidError } from "../errors.ts";
import type { VapidClaims, VapidVerification, VerifyVapidOptions } from "../types.ts";
import { audienceOf } from "./audience.ts";
import { clockReading } from "./clock.ts";
import { MAX_EXPIRATION } from "./jwt.ts";
import { checkPublicKey } from "./key-checks.ts";
import type { Primitives } from "./primitives.ts";
import { fromUtf8, utf8 } from "./utf8.ts";

function malformed(message: string, cause?: unknown): VapidError {
  return new VapidError(
    "ERR_VAPID_TOKEN_MALFORMED",
    message,
    cause === undefined ? undefined : { cause },
  );
}

/** Splits "vapid t=…, k=…" / "WebPush …" into the token and the base64url key. */
function parseAuthorization(
  authorization: unknown,
  cryptoKey: string | undefined,
): { jwt: string; key: string } {
  if (typeof authorization !== "string") {
    throw malformed(`Authorization must be a string, got ${typeof authorization}`);
  }
  const text = authorization.trim();
  const space = text.indexOf(" ");
  const scheme = (space === -1 ? text : text.slice(0, space)).toLowerCase();
  const rest = space === -1 ? "" : text.slice(space + 1).trim();
  if (scheme === "vapid") {
    // RFC 8292 section 3: auth-params t and k, comma separated, in any order.
    const params = new Map<string, string>();
    for (const part of rest.split(",")) {
      const eq = part.indexOf("=");
      if (eq === -1) continue;
      params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
    }
    const jwt = params.get("t");
    const key = params.get("k");
    if (!jwt || !key) throw malformed('the "vapid" Authorization needs both t=<jwt> and k=<key>');
    return { jwt, key };
  }
  if (scheme === "webpush") {
    if (!rest) throw malformed('the "WebPush" Authorization carries no token');
    if (cryptoKey === undefined) {
      throw malformed(
        'the "WebPush" scheme needs the Crypto-Key header (p256ecdsa=<key>): pass cryptoKey',
      );
    }
    // Crypto-Key may list several keys: "dh=…;p256ecdsa=…" (draft-ietf-webpush-encryption-04).
    for (const part of cryptoKey.split(/[;,]/)) {
      const [name, value] = part.split("=", 2);
      if (name?.trim().toLowerCase() === "p256ecdsa" && value)
        return { jwt: rest, key: value.trim() };
    }
    throw malformed("the Crypto-Key header has no p256ecdsa=<key>");
  }
  throw malformed(
    `unknown Authorization scheme "${scheme.slice(0, 16)}"; expected "vapid" (RFC 8292) or "WebPush"`,
  );
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(base64urlDecode(segment)));
  } catch (cause) {
    throw malformed(`the JWT ${what} is not base64url-encoded JSON`, cause);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformed(`the JWT ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Verifies a VAPID Authorization header against `audience`; see the public docs. */
export async function verifyVapidWith(
  primitives: Primitives,
  authorization: string,
  options: VerifyVapidOptions,
): Promise<VapidVerification> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("verifyVapid needs { audience }");
  }
  const audience = audienceOf(options.audience, "audience");
  const tolerance = options.clockTolerance ?? 0;
  if (typeof tolerance !== "number" || !(tolerance >= 0)) {
    throw new TypeError(`clockTolerance must be a number of seconds ≥ 0, got ${String(tolerance)}`);
  }
  const { jwt, key } = parseAuthorization(authorization, options.cryptoKey);

  let publicKey: Uint8Array;
  try {
    publicKey = base64urlDecode(key);
  } catch (cause) {
    throw new VapidError("ERR_VAPID_KEY_INVALID", "the k= public key is not base64url", { cause });
  }
  checkPublicKey(publicKey, "the k= public key");

  const segments = jwt.split(".");
  if (segments.length !== 3) {
    throw malformed(`a JWT has 3 dot-separated parts, this one has ${segments.length}`);
  }
  const [headerText = "", claimsText = "", signatureText = ""] = segments;
  const header = decodeJson(headerText, "header");
  if (header.alg !== "ES256" || (header.typ !== undefined && header.typ !== "JWT")) {
    throw new VapidError(
      "ERR_VAPID_ALGORITHM",
      `the JWT header must be {"typ":"JWT","alg":"ES256"}, got alg ${JSON.stringify(header.alg)}`,
    );
  }
  let signature: Uint8Array;
  try {
    signature = base64urlDecode(signatureText);
  } catch (cause) {
    throw new VapidError("ERR_VAPID_SIGNATURE", "the JWT signature is not base64url", { cause });
  }
  if (signature.length !== 64) {
    throw new VapidError(
      "ERR_VAPID_SIGNATURE",
      `an ES256 signature is 64 bytes (raw r ‖ s), got ${signature.length}${signature[0] === 0x30 ? " (DER-encoded?)" : ""}`,
    );
  }
  const valid = await primitives.verify(publicKey, utf8(`${headerText}.${claimsText}`), signature);
  if (!valid) {
    throw new VapidError(
      "ERR_VAPID_SIGNATURE",
      "the JWT signature does not verify with the k= key",
    );
  }

  // Claims are looked at only once the signature holds, so forgeries learn nothing.
  const claims = decodeJson(claimsText, "claims");
  const { aud, exp, sub } = claims;
  if (aud !== audience) {
    throw new VapidError(
      "ERR_VAPID_AUDIENCE",
      `the token is for audience ${JSON.stringify(aud)}, expected "${audience}"`,
    );
  }
  if (typeof exp !== "number" || !Number.isFinite(exp)) {
    throw new VapidError("ERR_VAPID_EXPIRED", "the token has no numeric exp claim");
  }
  // A NaN clock would make both exp comparisons false: an expired token would pass.
  const nowSeconds = clockReading((options.now ?? Date.now)(), "verifyVapid") / 1000;
  if (exp <= nowSeconds - tolerance) {
    throw new VapidError(
      "ERR_VAPID_EXPIRED",
      `the token expired ${Math.round(nowSeconds - exp)} s ago (exp ${exp})`,
    );
  }
  if (exp > nowSeconds + MAX_EXPIRATION + tolerance) {
    throw new VapidError(
      "ERR_VAPID_EXPIRATION_TOO_FAR",
      `the token's exp is ${Math.round(exp - nowSeconds)} s ahead; at most ${MAX_EXPIRATION} s (24 h) is allowed`,
    );
  }
  if (sub !== undefined && typeof sub !== "string") {
    throw malformed("the sub claim must be a string");
  }
  const result: VapidClaims = { aud, exp };
  if (sub !== undefined) result.sub = sub;
  return { claims: result, publicKey };
}
