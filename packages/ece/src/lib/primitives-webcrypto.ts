import { base64urlDecode, base64urlEncode } from "@swp/subscription";
import { EceError } from "../errors.ts";
import type { AesGcm, Primitives } from "./primitives.ts";

const ECDH = { name: "ECDH", namedCurve: "P-256" } as const;

// Resolved on each call, not at import: a bundle may be evaluated before a polyfill installs
// crypto, and an insecure browser context has `crypto` without `subtle`.
function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) {
    throw new EceError(
      "ERR_ECE_UNSUPPORTED_RUNTIME",
      "WebCrypto is not available (globalThis.crypto.subtle is undefined; browsers only expose it in secure contexts)",
    );
  }
  return s;
}

// WebCrypto's TypeScript types want ArrayBuffer-backed views; ours always are (no
// SharedArrayBuffer reaches here), so this is a type-level cast, not a copy.
function view(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

function importPrivateKey(own: { publicKey: Uint8Array; privateKey: Uint8Array }) {
  // JWK is the one private-key import every browser supports without a public key DER blob.
  return subtle().importKey(
    "jwk",
    {
      kty: "EC",
      crv: "P-256",
      x: base64urlEncode(own.publicKey.subarray(1, 33)),
      y: base64urlEncode(own.publicKey.subarray(33, 65)),
      d: base64urlEncode(own.privateKey),
      ext: true,
    },
    ECDH,
    false,
    ["deriveBits"],
  );
}

/** WebCrypto (`globalThis.crypto.subtle`) implementation; no Node built-ins. */
export const webCryptoPrimitives: Primitives = {
  randomBytes(length) {
    const out = new Uint8Array(length);
    if (typeof globalThis.crypto?.getRandomValues !== "function") {
      throw new EceError(
        "ERR_ECE_UNSUPPORTED_RUNTIME",
        "WebCrypto is not available (globalThis.crypto.getRandomValues is undefined)",
      );
    }
    globalThis.crypto.getRandomValues(out);
    return out;
  },

  async generateKeyPair() {
    const pair = (await subtle().generateKey(ECDH, true, ["deriveBits"])) as CryptoKeyPair;
    const [publicKey, jwk] = await Promise.all([
      subtle().exportKey("raw", pair.publicKey),
      subtle().exportKey("jwk", pair.privateKey),
    ]);
    return { publicKey: new Uint8Array(publicKey), privateKey: base64urlDecode(jwk.d ?? "") };
  },

  async agree(peerPublic, own) {
    const s = subtle();
    // Chrome requires empty usages for an ECDH public key.
    const peer = s.importKey("raw", view(peerPublic), ECDH, false, []);
    let privateKey: CryptoKey;
    let publicKey: Uint8Array;
    if (own === undefined) {
      const pair = (await s.generateKey(ECDH, false, ["deriveBits"])) as CryptoKeyPair;
      privateKey = pair.privateKey;
      publicKey = new Uint8Array(await s.exportKey("raw", pair.publicKey));
    } else {
      privateKey = await importPrivateKey(own);
      publicKey = own.publicKey;
    }
    const secret = await s.deriveBits({ name: "ECDH", public: await peer }, privateKey, 256);
    return { publicKey, secret: new Uint8Array(secret) };
  },

  async hkdf(salt, ikm, info, length) {
    const s = subtle();
    const key = await s.importKey("raw", view(ikm), "HKDF", false, ["deriveBits"]);
    const bits = await s.deriveBits(
      { name: "HKDF", hash: "SHA-256", salt: view(salt), info: view(info) },
      key,
      length * 8,
    );
    return new Uint8Array(bits);
  },

  aesGcm(rawKey): AesGcm {
    let key: Promise<CryptoKey> | undefined;
    const getKey = () => {
      key ??= subtle().importKey("raw", view(rawKey), "AES-GCM", false, ["encrypt", "decrypt"]);
      return key;
    };
    return {
      async seal(nonce, plaintext) {
        const out = await subtle().encrypt(
          { name: "AES-GCM", iv: view(nonce) },
          await getKey(),
          view(plaintext),
        );
        return new Uint8Array(out);
      },
      async open(nonce, sealed) {
        const out = await subtle().decrypt(
          { name: "AES-GCM", iv: view(nonce) },
          await getKey(),
          view(sealed),
        );
        return new Uint8Array(out);
      },
    };
  },
};
