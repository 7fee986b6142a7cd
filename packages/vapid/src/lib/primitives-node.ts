// Primitives on node:crypto. Signing is synchronous (no thread-pool hop), which is what makes
// a cache miss cheap on Node; measured in bench/headers.ts.

import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
} from "node:crypto";
import { base64urlEncode } from "@swp/subscription";
import type { Primitives, Sign } from "./primitives.ts";

/** A plain Uint8Array copy (never hand a Buffer to callers), left-padded to `length`. */
function plain(bytes: Uint8Array, length = bytes.length): Uint8Array {
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
}

function publicJwk(publicKey: Uint8Array) {
  return {
    kty: "EC",
    crv: "P-256",
    x: base64urlEncode(publicKey.subarray(1, 33)),
    y: base64urlEncode(publicKey.subarray(33, 65)),
  };
}

/** ECDSA P-256 on node:crypto. */
export const nodePrimitives: Primitives = {
  async generateKeys() {
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    // OpenSSL may return a scalar with leading zero bytes dropped: pad to 32.
    return { publicKey: plain(ecdh.getPublicKey()), privateKey: plain(ecdh.getPrivateKey(), 32) };
  },

  async derivePublicKey(privateKey) {
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(privateKey);
    return plain(ecdh.getPublicKey());
  },

  async createSigner(keys): Promise<Sign> {
    const key = createPrivateKey({
      key: { ...publicJwk(keys.publicKey), d: base64urlEncode(keys.privateKey) },
      format: "jwk",
    });
    // "ieee-p1363" gives the raw r ‖ s that JWS wants instead of DER (RFC 7518 section 3.4).
    return (data) => plain(nodeSign("sha256", data, { key, dsaEncoding: "ieee-p1363" }));
  },

  async verify(publicKey, data, signature) {
    const key = createPublicKey({ key: publicJwk(publicKey), format: "jwk" });
    return nodeVerify("sha256", data, { key, dsaEncoding: "ieee-p1363" }, signature);
  },
};
