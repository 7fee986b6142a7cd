// Validation of raw key bytes, shared by every import path and by createVapid.

import { base64urlDecode, isP256Point } from "@swp/subscription";
import { VapidError } from "../errors.ts";
import type { VapidBase64UrlKeys, VapidKeys } from "../types.ts";
import { bytesEqual } from "./der.ts";
import { isP256Scalar } from "./p256.ts";
import type { Primitives } from "./primitives.ts";

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? (value.constructor?.name ?? "an object") : typeof value;
}

/** Throws unless `publicKey` is a 65-byte uncompressed point on P-256. */
export function checkPublicKey(
  publicKey: unknown,
  what = "public key",
): asserts publicKey is Uint8Array {
  if (!(publicKey instanceof Uint8Array)) {
    throw new VapidError(
      "ERR_VAPID_KEY_INVALID",
      `${what} must be a Uint8Array, got ${kindOf(publicKey)}`,
    );
  }
  if (publicKey.length !== 65) {
    const hint =
      publicKey.length === 33 ? " (a compressed point; the uncompressed 0x04 form is needed)" : "";
    throw new VapidError(
      "ERR_VAPID_KEY_LENGTH",
      `${what} must be 65 bytes (uncompressed P-256 point), got ${publicKey.length}${hint}`,
    );
  }
  if (publicKey[0] !== 0x04) {
    throw new VapidError(
      "ERR_VAPID_KEY_INVALID",
      `${what} must start with 0x04 (uncompressed point), got 0x${publicKey[0]!.toString(16).padStart(2, "0")}`,
    );
  }
  if (!isP256Point(publicKey)) {
    throw new VapidError("ERR_VAPID_KEY_NOT_ON_CURVE", `${what} is not a point on the P-256 curve`);
  }
}

/** Throws unless `privateKey` is a 32-byte scalar in [1, n-1]. Never echoes the bytes. */
export function checkPrivateKey(privateKey: unknown): asserts privateKey is Uint8Array {
  if (!(privateKey instanceof Uint8Array)) {
    throw new VapidError(
      "ERR_VAPID_KEY_INVALID",
      `private key must be a Uint8Array, got ${kindOf(privateKey)}`,
    );
  }
  if (privateKey.length !== 32) {
    throw new VapidError(
      "ERR_VAPID_KEY_LENGTH",
      `private key must be 32 bytes (P-256 scalar), got ${privateKey.length}`,
    );
  }
  if (!isP256Scalar(privateKey)) {
    throw new VapidError(
      "ERR_VAPID_KEY_INVALID",
      "private key is not a valid P-256 scalar (zero, or not below the group order)",
    );
  }
}

/**
 * The bytes of a base64url key string (RFC 4648 section 5). The error says what the text
 * looks like instead (PEM, standard base64) and its length, never the text itself.
 */
export function decodeKeyText(text: unknown, what: string): Uint8Array {
  if (typeof text !== "string") {
    throw new VapidError(
      "ERR_VAPID_KEY_INVALID",
      `${what} must be a base64url string, got ${typeof text}`,
    );
  }
  try {
    return base64urlDecode(text);
  } catch (cause) {
    const hint = text.startsWith("-----BEGIN")
      ? "; it is PEM: read it with vapidKeysFromPem"
      : /[+/]/.test(text)
        ? "; it looks like standard base64: use the URL-safe alphabet (- and _ for + and /)"
        : /\s/.test(text)
          ? "; it contains whitespace"
          : "";
    throw new VapidError(
      "ERR_VAPID_KEY_INVALID",
      `${what} is not base64url (${text.length} characters)${hint}`,
      { cause },
    );
  }
}

/**
 * A key pair given as bytes or as base64url strings (the form web-push and
 * `VAPID_PUBLIC_KEY` / `VAPID_PRIVATE_KEY` use), each field either way, as copied bytes
 * with the synchronous checks done.
 */
export function keyBytesOf(keys: unknown): VapidKeys {
  if (typeof keys !== "object" || keys === null) {
    throw new VapidError(
      "ERR_VAPID_KEY_INVALID",
      `keys must be { publicKey, privateKey }, got ${kindOf(keys)}`,
    );
  }
  const { publicKey, privateKey } = keys as Partial<VapidKeys | VapidBase64UrlKeys>;
  const bytes = {
    publicKey: typeof publicKey === "string" ? decodeKeyText(publicKey, "public key") : publicKey,
    privateKey:
      typeof privateKey === "string" ? decodeKeyText(privateKey, "private key") : privateKey,
  };
  checkKeyShapes(bytes);
  return {
    publicKey: Uint8Array.from(bytes.publicKey),
    privateKey: Uint8Array.from(bytes.privateKey),
  };
}

/** Synchronous checks of a pair: shapes, curve, scalar range (the match needs crypto). */
export function checkKeyShapes(keys: unknown): asserts keys is VapidKeys {
  if (typeof keys !== "object" || keys === null) {
    throw new VapidError(
      "ERR_VAPID_KEY_INVALID",
      `keys must be { publicKey, privateKey }, got ${kindOf(keys)}`,
    );
  }
  const { publicKey, privateKey } = keys as Partial<VapidKeys>;
  checkPrivateKey(privateKey);
  checkPublicKey(publicKey);
}

/**
 * A validated, copied key pair. The public key is derived from the private one; a given
 * public key must equal it (ERR_VAPID_KEY_MISMATCH otherwise).
 */
export async function completeKeys(
  primitives: Primitives,
  privateKey: unknown,
  publicKey?: unknown,
): Promise<VapidKeys> {
  checkPrivateKey(privateKey);
  if (publicKey !== undefined) checkPublicKey(publicKey);
  const derived = await primitives.derivePublicKey(privateKey);
  if (publicKey !== undefined && !bytesEqual(derived, publicKey)) {
    throw new VapidError(
      "ERR_VAPID_KEY_MISMATCH",
      "public key does not belong to the private key (it is not d·G for this private key)",
    );
  }
  return { publicKey: Uint8Array.from(derived), privateKey: Uint8Array.from(privateKey) };
}

/** {@link completeKeys} for a `{ publicKey, privateKey }` object. */
export async function checkKeys(primitives: Primitives, keys: unknown): Promise<VapidKeys> {
  checkKeyShapes(keys);
  return completeKeys(primitives, keys.privateKey, keys.publicKey);
}
