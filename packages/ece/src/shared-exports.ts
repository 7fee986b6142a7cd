// What both entries of this package export besides their bound functions: the shared
// vocabulary, the errors, the limits and the types. index.ts adds the WebCrypto functions,
// node.ts the same functions on node:crypto.

// The shared vocabulary of @swp/subscription, bundled into this package at build time.
export {
  base64urlDecode,
  base64urlEncode,
  EncodingError,
  isP256Point,
  isSwpError,
  SwpError,
} from "@swp/subscription";
export { EceError, type EceErrorCode } from "./errors.ts";
export { MAX_PUSH_BODY, maxPlaintextSize } from "./limits.ts";
export type {
  ContentEncoding,
  DecryptContentOptions,
  DecryptOptions,
  EncryptContentOptions,
  EncryptOptions,
  EncryptResult,
  P256KeyPair,
  SubscriptionKeys,
} from "./types.ts";
