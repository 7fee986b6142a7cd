// Minimal types for the http_ece devDependency (an independent implementation used in interop
// tests). Binary parameters are base64url strings or Buffers.
declare module "http_ece" {
  import type { ECDH } from "node:crypto";

  interface Params {
    version?: "aes128gcm" | "aesgcm";
    key?: string | Buffer;
    salt?: string | Buffer;
    rs?: number;
    pad?: number;
    keyid?: string | Buffer;
    dh?: string | Buffer;
    privateKey?: ECDH;
    authSecret?: string | Buffer;
  }
  const ece: {
    encrypt(buffer: Buffer, params: Params): Buffer;
    decrypt(buffer: Buffer, params: Params): Buffer;
  };
  export default ece;
}
