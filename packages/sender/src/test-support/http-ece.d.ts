// The parts of http_ece (the reference implementation by the author of RFC 8188) that the
// interop test uses; the package ships no types.
declare module "http_ece" {
  import type { ECDH } from "node:crypto";

  interface DecryptParams {
    version: "aes128gcm" | "aesgcm";
    privateKey: ECDH;
    authSecret: string;
    dh?: string;
    salt?: string;
  }
  const ece: { decrypt(body: Buffer, params: DecryptParams): Buffer };
  export default ece;
}
