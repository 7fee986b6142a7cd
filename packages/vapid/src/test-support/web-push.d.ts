// The part of web-push (no bundled types) the interoperability tests use.
declare module "web-push" {
  const webpush: {
    getVapidHeaders(
      audience: string,
      subject: string,
      publicKey: string,
      privateKey: string,
      contentEncoding: "aes128gcm" | "aesgcm",
      expiration?: number,
    ): Record<string, string>;
    generateVAPIDKeys(): { publicKey: string; privateKey: string };
  };
  export default webpush;
}
