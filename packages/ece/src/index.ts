export { base64urlDecode, base64urlEncode } from "./base64url.ts";
export { EceError, type EceErrorCode, isSwpError } from "./errors.ts";
export { isP256Point } from "./is-p256-point.ts";
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
export {
  decrypt,
  decryptContent,
  encrypt,
  encryptContent,
  generateSubscriptionKeys,
} from "./webcrypto-api.ts";
