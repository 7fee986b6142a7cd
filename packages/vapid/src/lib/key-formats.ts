// Import and export of VAPID keys: PEM (PKCS #8, SEC 1, SPKI), base64url and JWK.

import { base64urlEncode } from "@swp/subscription";
import { VapidError } from "../errors.ts";
import type { VapidBase64UrlKeys, VapidJwk, VapidKeys, VapidPemOptions } from "../types.ts";
import { DerError } from "./der.ts";
import { checkKeys, checkPublicKey, completeKeys, decodeKeyText } from "./key-checks.ts";
import {
  decodePkcs8,
  decodeSec1,
  decodeSpki,
  encodePkcs8,
  encodeSec1,
  encodeSpki,
} from "./key-der.ts";
import { readPemBlocks, writePem } from "./pem.ts";
import type { Primitives } from "./primitives.ts";

function pemError(cause: unknown): VapidError {
  if (cause instanceof VapidError) return cause;
  const detail = cause instanceof DerError ? cause.message : "unreadable";
  return new VapidError("ERR_VAPID_PEM_INVALID", `invalid PEM key: ${detail}`, { cause });
}

function readBlocks(pem: unknown) {
  if (typeof pem !== "string") {
    throw new VapidError("ERR_VAPID_PEM_INVALID", `PEM must be a string, got ${typeof pem}`);
  }
  const blocks = readPemBlocks(pem);
  if (blocks.length === 0) {
    throw new DerError("no -----BEGIN …----- block found");
  }
  return blocks;
}

/** Keys from a PEM private key: PKCS #8 or SEC 1 (optionally after an EC PARAMETERS block). */
export async function vapidKeysFromPem(primitives: Primitives, pem: string): Promise<VapidKeys> {
  let decoded: { privateKey: Uint8Array; publicKey: Uint8Array | undefined } | undefined;
  try {
    const blocks = readBlocks(pem);
    const labels = blocks.map((b) => b.label);
    for (const block of blocks) {
      if (block.label === "EC PRIVATE KEY") decoded = decodeSec1(block.der);
      else if (block.label === "PRIVATE KEY") decoded = decodePkcs8(block.der);
      else if (block.label === "ENCRYPTED PRIVATE KEY") {
        throw new DerError(
          "the PKCS #8 key is encrypted with a passphrase; decrypt it first (openssl pkcs8 -in key.pem -out plain.pem)",
        );
      }
      if (decoded) break;
    }
    if (!decoded) {
      const hint = labels.includes("PUBLIC KEY") ? " (a PUBLIC KEY alone cannot sign)" : "";
      throw new DerError(
        `no EC PRIVATE KEY or PRIVATE KEY block, found ${labels.join(", ")}${hint}`,
      );
    }
  } catch (cause) {
    throw pemError(cause);
  }
  return completeKeys(primitives, decoded.privateKey, decoded.publicKey);
}

/** The public key (65 bytes) from a SubjectPublicKeyInfo `PUBLIC KEY` PEM. */
export function publicKeyFromPem(pem: string): Uint8Array {
  let publicKey: Uint8Array | undefined;
  try {
    const blocks = readBlocks(pem);
    const block = blocks.find((b) => b.label === "PUBLIC KEY");
    if (!block) {
      throw new DerError(`no PUBLIC KEY block, found ${blocks.map((b) => b.label).join(", ")}`);
    }
    publicKey = decodeSpki(block.der);
  } catch (cause) {
    throw pemError(cause);
  }
  checkPublicKey(publicKey);
  return publicKey;
}

/** The private key as PEM, PKCS #8 by default or SEC 1; both embed the public key. */
export async function vapidKeysToPem(
  primitives: Primitives,
  keys: VapidKeys,
  options: VapidPemOptions = {},
): Promise<string> {
  const format = options.format ?? "pkcs8";
  if (format !== "pkcs8" && format !== "sec1") {
    throw new TypeError(`format must be "pkcs8" or "sec1", got ${String(format)}`);
  }
  const checked = await checkKeys(primitives, keys);
  return format === "sec1"
    ? writePem("EC PRIVATE KEY", encodeSec1(checked.privateKey, checked.publicKey))
    : writePem("PRIVATE KEY", encodePkcs8(checked.privateKey, checked.publicKey));
}

/** The public key as a SubjectPublicKeyInfo `PUBLIC KEY` PEM. */
export function publicKeyToPem(publicKey: Uint8Array): string {
  checkPublicKey(publicKey);
  return writePem("PUBLIC KEY", encodeSpki(publicKey));
}

/** Keys from base64url strings; the public key is optional and derived when left out. */
export async function vapidKeysFromBase64Url(
  primitives: Primitives,
  keys: { publicKey?: string; privateKey: string },
): Promise<VapidKeys> {
  if (typeof keys !== "object" || keys === null) {
    throw new VapidError(
      "ERR_VAPID_KEY_INVALID",
      "expected { publicKey, privateKey } base64url strings",
    );
  }
  const privateKey = decodeKeyText(keys.privateKey, "private key");
  const publicKey =
    keys.publicKey === undefined ? undefined : decodeKeyText(keys.publicKey, "public key");
  return completeKeys(primitives, privateKey, publicKey);
}

/** Both keys as base64url (no padding). */
export async function vapidKeysToBase64Url(
  primitives: Primitives,
  keys: VapidKeys,
): Promise<VapidBase64UrlKeys> {
  const checked = await checkKeys(primitives, keys);
  return {
    publicKey: base64urlEncode(checked.publicKey),
    privateKey: base64urlEncode(checked.privateKey),
  };
}

/** Keys from a private P-256 JWK (RFC 7518 section 6.2). */
export async function vapidKeysFromJwk(primitives: Primitives, jwk: unknown): Promise<VapidKeys> {
  if (typeof jwk !== "object" || jwk === null) {
    throw new VapidError(
      "ERR_VAPID_KEY_INVALID",
      `JWK must be an object, got ${jwk === null ? "null" : typeof jwk}`,
    );
  }
  const { kty, crv, x, y, d } = jwk as Partial<Record<string, unknown>>;
  if (kty !== "EC" || crv !== "P-256") {
    throw new VapidError(
      "ERR_VAPID_KEY_INVALID",
      `JWK must have kty "EC" and crv "P-256", got kty ${JSON.stringify(kty)} and crv ${JSON.stringify(crv)}`,
    );
  }
  if (d === undefined) {
    throw new VapidError("ERR_VAPID_KEY_INVALID", "JWK has no private key (member d)");
  }
  const privateKey = decodeKeyText(d, "JWK d");
  let publicKey: Uint8Array | undefined;
  if (x !== undefined || y !== undefined) {
    const xb = decodeKeyText(x, "JWK x");
    const yb = decodeKeyText(y, "JWK y");
    if (xb.length !== 32 || yb.length !== 32) {
      throw new VapidError(
        "ERR_VAPID_KEY_LENGTH",
        `JWK x and y must be 32 bytes each, got ${xb.length} and ${yb.length}`,
      );
    }
    publicKey = new Uint8Array(65);
    publicKey[0] = 0x04;
    publicKey.set(xb, 1);
    publicKey.set(yb, 33);
  }
  return completeKeys(primitives, privateKey, publicKey);
}

/** The pair as a private JWK `{ kty: "EC", crv: "P-256", x, y, d }`. */
export async function vapidKeysToJwk(primitives: Primitives, keys: VapidKeys): Promise<VapidJwk> {
  const checked = await checkKeys(primitives, keys);
  return {
    kty: "EC",
    crv: "P-256",
    x: base64urlEncode(checked.publicKey.subarray(1, 33)),
    y: base64urlEncode(checked.publicKey.subarray(33, 65)),
    d: base64urlEncode(checked.privateKey),
  };
}
