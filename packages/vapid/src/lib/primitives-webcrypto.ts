// Primitives on WebCrypto (globalThis.crypto.subtle): Node, Deno, Bun, browsers, workers.

import { base64urlDecode, base64urlEncode } from "@swp/subscription";
import type { VapidKeys } from "../types.ts";
import { encodePkcs8 } from "./key-der.ts";
import { p256PublicFromScalar } from "./p256.ts";
import type { Primitives, Sign } from "./primitives.ts";

const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const ES256 = { name: "ECDSA", hash: "SHA-256" } as const;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error("WebCrypto (globalThis.crypto.subtle) is not available in this runtime");
  return s;
}

/** A Uint8Array over its own ArrayBuffer, as the WebCrypto typings want (`BufferSource`). */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(bytes);
}

function jwkOf(keys: VapidKeys): JsonWebKey {
  return {
    kty: "EC",
    crv: "P-256",
    x: base64urlEncode(keys.publicKey.subarray(1, 33)),
    y: base64urlEncode(keys.publicKey.subarray(33, 65)),
    d: base64urlEncode(keys.privateKey),
  };
}

function pointOf(jwk: JsonWebKey): Uint8Array {
  const out = new Uint8Array(65);
  out[0] = 0x04;
  out.set(base64urlDecode(jwk.x ?? ""), 1);
  out.set(base64urlDecode(jwk.y ?? ""), 33);
  return out;
}

/** ECDSA P-256 on WebCrypto. */
export const webCryptoPrimitives: Primitives = {
  async generateKeys() {
    const pair = await subtle().generateKey(EC, true, ["sign", "verify"]);
    const jwk = await subtle().exportKey("jwk", pair.privateKey);
    return { publicKey: pointOf(jwk), privateKey: base64urlDecode(jwk.d ?? "") };
  },

  async derivePublicKey(privateKey) {
    // WebCrypto has no "public key of this scalar" call, but importing a PKCS #8 key
    // without its public part and exporting it as JWK computes it (Node, Chromium, Deno).
    // Runtimes that refuse such a PKCS #8 get the BigInt ladder instead.
    try {
      const key = await subtle().importKey("pkcs8", own(encodePkcs8(privateKey)), EC, true, [
        "sign",
      ]);
      const jwk = await subtle().exportKey("jwk", key);
      if (jwk.x && jwk.y) return pointOf(jwk);
    } catch {
      // fall through to the portable computation
    }
    return p256PublicFromScalar(privateKey);
  },

  async createSigner(keys): Promise<Sign> {
    const key = await subtle().importKey("jwk", jwkOf(keys), EC, false, ["sign"]);
    // WebCrypto's ECDSA signature is already raw r ‖ s (WebCrypto spec, section 23.3).
    return async (data) => new Uint8Array(await subtle().sign(ES256, key, own(data)));
  },

  async verify(publicKey, data, signature) {
    const key = await subtle().importKey("raw", own(publicKey), EC, false, ["verify"]);
    return subtle().verify(ES256, key, own(signature), own(data));
  },
};
