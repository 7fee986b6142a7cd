import { base64urlEncode, isP256Point } from "@swp/subscription";
import { EceError } from "../errors.ts";
import type {
  ContentEncoding,
  DecryptContentOptions,
  DecryptOptions,
  EncryptContentOptions,
  EncryptOptions,
  EncryptResult,
  P256KeyPair,
  SubscriptionKeys,
} from "../types.ts";
import { copy } from "./bytes.ts";
import {
  AUTH_SECRET_LENGTH,
  HEADER_FIXED_LENGTH,
  KEY_LENGTH,
  MAX_KEY_ID_LENGTH,
  MAX_PUSH_BODY,
  MAX_RECORD_SIZE,
  MIN_RECORD_SIZE,
  PUBLIC_KEY_LENGTH,
  SALT_LENGTH,
  WEB_PUSH_HEADER_LENGTH,
  WEB_PUSH_RECORD_SIZE,
} from "./constants.ts";
import { aes128gcmKeys, aesgcmKeys, webPushIkm, webPushKeysSync } from "./key-schedule.ts";
import { openLegacy, sealLegacy } from "./legacy-aesgcm.ts";
import type { Primitives } from "./primitives.ts";
import {
  openRecords,
  readHeader,
  sealedLength,
  sealRecords,
  sealRecordsSync,
  writeHeader,
} from "./record-layer.ts";
import {
  assertBytes,
  assertEncoding,
  assertInteger,
  assertLength,
  assertOptions,
  assertPrivateKey,
  assertPublicKey,
  describeValue,
  notOnCurveError,
  plaintextLimit,
} from "./validate.ts";

/** The runtime-dependent half of the public API, bound to one set of primitives. */
export interface EceFunctions {
  encrypt(plaintext: Uint8Array, options: EncryptOptions): Promise<EncryptResult>;
  decrypt(body: Uint8Array, options: DecryptOptions): Promise<Uint8Array>;
  encryptContent(plaintext: Uint8Array, options: EncryptContentOptions): Promise<Uint8Array>;
  decryptContent(body: Uint8Array, options: DecryptContentOptions): Promise<Uint8Array>;
  generateSubscriptionKeys(): Promise<SubscriptionKeys>;
}

const EMPTY = new Uint8Array(0);
// One Uint8Array holds the whole body; 2^31 - 1 bytes is the largest every engine allocates.
const MAX_CONTENT_LENGTH = 0x7fffffff;

/** Runs a primitive; anything it throws that is not ours becomes an EceError of `code`. */
async function guard<T>(
  work: () => Promise<T>,
  code: "ERR_ECE_CRYPTO" | "ERR_ECE_DECRYPT" | "ERR_ECE_INVALID_PRIVATE_KEY",
  message: string,
): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    if (cause instanceof EceError) throw cause;
    throw new EceError(code, message, { cause });
  }
}

function keyPairOption(value: unknown, where: string): P256KeyPair {
  if (typeof value !== "object" || value === null) {
    throw new TypeError(
      `${where}: asKeyPair must be { publicKey, privateKey }, got ${describeValue(value)}`,
    );
  }
  const pair = value as Partial<P256KeyPair>;
  return {
    publicKey: assertPublicKey(pair.publicKey, "asKeyPair.publicKey", where),
    privateKey: assertPrivateKey(pair.privateKey, "asKeyPair.privateKey", where),
  };
}

function recordSizeOption(value: unknown, where: string): number {
  if (typeof value !== "number") {
    throw new TypeError(`${where}: recordSize must be a number, got ${describeValue(value)}`);
  }
  if (!Number.isInteger(value) || value < MIN_RECORD_SIZE || value > MAX_RECORD_SIZE) {
    throw new EceError(
      "ERR_ECE_INVALID_RECORD_SIZE",
      `${where}: recordSize must be an integer from ${MIN_RECORD_SIZE} to ${MAX_RECORD_SIZE} (RFC 8188 §2.1), got ${value}`,
    );
  }
  return value;
}

/** Binds the shared RFC 8188 / RFC 8291 logic to one implementation of the primitives. */
export function bindEceApi(p: Primitives): EceFunctions {
  async function encrypt(plaintext: Uint8Array, options: EncryptOptions): Promise<EncryptResult> {
    const where = "encrypt";
    assertBytes(plaintext, "plaintext", where);
    assertOptions(options, where);
    const encoding: ContentEncoding = assertEncoding(options.encoding ?? "aes128gcm", where);
    const padding = options.padding ?? 0;
    const limit = plaintextLimit(encoding, padding, where);
    // The await-free path: synchronous primitives, whose ECDH rejects an off-curve uaPublic
    // itself, so the BigInt curve check runs only once something has failed.
    const fast = encoding === "aes128gcm" ? p.sync : undefined;
    const uaPublic = assertPublicKey(options.uaPublic, "uaPublic", where, fast === undefined);
    let authSecret: Uint8Array;
    let salt: Uint8Array;
    let own: P256KeyPair | undefined;
    try {
      authSecret = assertLength(
        options.authSecret,
        AUTH_SECRET_LENGTH,
        "authSecret",
        "ERR_ECE_INVALID_AUTH_SECRET",
        where,
      );
      if (plaintext.length > limit) {
        const bodyLength = MAX_PUSH_BODY + plaintext.length - limit;
        throw new EceError(
          "ERR_ECE_PAYLOAD_TOO_LARGE",
          `${where}: a ${plaintext.length}-byte plaintext${padding ? ` with ${padding} bytes of padding` : ""} makes a ${bodyLength}-byte ${encoding} body; a push body is at most ${MAX_PUSH_BODY} bytes, so at most ${limit} bytes of plaintext fit (RFC 8291 §4)`,
        );
      }
      salt =
        options.salt === undefined
          ? p.randomBytes(SALT_LENGTH)
          : copy(assertLength(options.salt, SALT_LENGTH, "salt", "ERR_ECE_INVALID_SALT", where));
      own = options.asKeyPair === undefined ? undefined : keyPairOption(options.asKeyPair, where);
    } catch (error) {
      // Errors keep their order: a uaPublic off the curve is reported before anything after it.
      if (fast !== undefined && !isP256Point(uaPublic)) throw notOnCurveError("uaPublic", where);
      throw error;
    }
    const agreeFailure = own
      ? ({
          code: "ERR_ECE_INVALID_PRIVATE_KEY",
          message: `${where}: asKeyPair.privateKey does not belong to asKeyPair.publicKey`,
        } as const)
      : ({
          code: "ERR_ECE_CRYPTO",
          message: `${where}: the runtime failed to agree on a key with uaPublic`,
        } as const);

    if (fast !== undefined) {
      let agreed: { publicKey: Uint8Array; secret: Uint8Array };
      try {
        agreed = fast.agree(uaPublic, own);
      } catch (cause) {
        if (!isP256Point(uaPublic)) throw notOnCurveError("uaPublic", where);
        if (cause instanceof EceError) throw cause;
        throw new EceError(agreeFailure.code, agreeFailure.message, { cause });
      }
      const asPublic = copy(agreed.publicKey);
      try {
        const keys = webPushKeysSync(fast, agreed.secret, authSecret, uaPublic, asPublic, salt);
        // RFC 8291 §4: one record, rs = 4096, key id = as_public.
        const body = new Uint8Array(
          WEB_PUSH_HEADER_LENGTH + sealedLength(plaintext.length, padding, WEB_PUSH_RECORD_SIZE),
        );
        const offset = writeHeader(body, salt, WEB_PUSH_RECORD_SIZE, asPublic);
        sealRecordsSync(fast, keys, plaintext, padding, WEB_PUSH_RECORD_SIZE, body, offset);
        return { body, encoding, salt, asPublic, headers: { "Content-Encoding": "aes128gcm" } };
      } catch (cause) {
        if (cause instanceof EceError) throw cause;
        throw new EceError("ERR_ECE_CRYPTO", `${where}: the runtime's crypto failed`, { cause });
      }
    }

    const agreed = await guard(
      () => p.agree(uaPublic, own),
      agreeFailure.code,
      agreeFailure.message,
    );
    const asPublic = copy(agreed.publicKey);

    return guard(
      async (): Promise<EncryptResult> => {
        if (encoding === "aesgcm") {
          const keys = await aesgcmKeys(p, agreed.secret, authSecret, salt, uaPublic, asPublic);
          return {
            body: await sealLegacy(p, keys, plaintext, padding),
            encoding,
            salt,
            asPublic,
            headers: {
              "Content-Encoding": "aesgcm",
              Encryption: `salt=${base64urlEncode(salt)}`,
              "Crypto-Key": `dh=${base64urlEncode(asPublic)}`,
            },
          };
        }
        const ikm = await webPushIkm(p, agreed.secret, authSecret, uaPublic, asPublic);
        const keys = await aes128gcmKeys(p, salt, ikm);
        // RFC 8291 §4: one record, rs = 4096, key id = as_public.
        const body = new Uint8Array(
          WEB_PUSH_HEADER_LENGTH + sealedLength(plaintext.length, padding, WEB_PUSH_RECORD_SIZE),
        );
        const offset = writeHeader(body, salt, WEB_PUSH_RECORD_SIZE, asPublic);
        await sealRecords(p, keys, plaintext, padding, WEB_PUSH_RECORD_SIZE, body, offset);
        return { body, encoding, salt, asPublic, headers: { "Content-Encoding": "aes128gcm" } };
      },
      "ERR_ECE_CRYPTO",
      `${where}: the runtime's crypto failed`,
    );
  }

  async function decrypt(body: Uint8Array, options: DecryptOptions): Promise<Uint8Array> {
    const where = "decrypt";
    assertBytes(body, "body", where);
    assertOptions(options, where);
    const encoding = assertEncoding(options.encoding ?? "aes128gcm", where);
    const uaPrivate = assertPrivateKey(options.uaPrivate, "uaPrivate", where);
    const uaPublic = assertPublicKey(options.uaPublic, "uaPublic", where);
    const authSecret = assertLength(
      options.authSecret,
      AUTH_SECRET_LENGTH,
      "authSecret",
      "ERR_ECE_INVALID_AUTH_SECRET",
      where,
    );
    const own = { publicKey: uaPublic, privateKey: uaPrivate };

    if (encoding === "aesgcm") {
      if (options.salt === undefined) {
        throw new EceError(
          "ERR_ECE_INVALID_SALT",
          `${where}: aesgcm needs the salt from the Encryption header (options.salt)`,
        );
      }
      const salt = assertLength(options.salt, SALT_LENGTH, "salt", "ERR_ECE_INVALID_SALT", where);
      if (options.asPublic === undefined) {
        throw new EceError(
          "ERR_ECE_INVALID_PUBLIC_KEY",
          `${where}: aesgcm needs the sender key from the Crypto-Key header's dh= (options.asPublic)`,
        );
      }
      const asPublic = assertPublicKey(options.asPublic, "asPublic", where);
      const { secret } = await agree(asPublic, own, where);
      return guard(
        async () =>
          openLegacy(
            p,
            await aesgcmKeys(p, secret, authSecret, salt, uaPublic, asPublic),
            body,
            where,
          ),
        "ERR_ECE_DECRYPT",
        `${where}: the body could not be decrypted`,
      );
    }

    const header = readHeader(body, where);
    // RFC 8291 §4: the key id is the sender's public key; anything else cannot be a push message.
    if (header.keyId.length !== PUBLIC_KEY_LENGTH || !isP256Point(header.keyId)) {
      throw new EceError(
        "ERR_ECE_DECRYPT",
        `${where}: the header's key id must be the sender's 65-byte P-256 public key, got ${header.keyId.length} bytes${header.keyId.length === PUBLIC_KEY_LENGTH ? " that are not a point on the curve" : ""}`,
      );
    }
    const asPublic = header.keyId;
    const { secret } = await agree(asPublic, own, where);
    return guard(
      async () => {
        const ikm = await webPushIkm(p, secret, authSecret, uaPublic, asPublic);
        const keys = await aes128gcmKeys(p, header.salt, ikm);
        return openRecords(p, keys, body, header.length, header.recordSize, where);
      },
      "ERR_ECE_DECRYPT",
      `${where}: the body could not be decrypted`,
    );
  }

  function agree(asPublic: Uint8Array, own: P256KeyPair, where: string) {
    return guard(
      () => p.agree(asPublic, own),
      "ERR_ECE_INVALID_PRIVATE_KEY",
      `${where}: uaPrivate does not belong to uaPublic`,
    );
  }

  async function encryptContent(
    plaintext: Uint8Array,
    options: EncryptContentOptions,
  ): Promise<Uint8Array> {
    const where = "encryptContent";
    assertBytes(plaintext, "plaintext", where);
    assertOptions(options, where);
    const key = assertLength(options.key, KEY_LENGTH, "key", "ERR_ECE_INVALID_KEY", where);
    const salt =
      options.salt === undefined
        ? p.randomBytes(SALT_LENGTH)
        : assertLength(options.salt, SALT_LENGTH, "salt", "ERR_ECE_INVALID_SALT", where);
    const recordSize = recordSizeOption(options.recordSize ?? WEB_PUSH_RECORD_SIZE, where);
    const keyId = options.keyId === undefined ? EMPTY : assertBytes(options.keyId, "keyId", where);
    if (keyId.length > MAX_KEY_ID_LENGTH) {
      throw new EceError(
        "ERR_ECE_INVALID_KEY_ID",
        `${where}: keyId must be at most ${MAX_KEY_ID_LENGTH} bytes (RFC 8188 §2.1), got ${keyId.length}`,
      );
    }
    const padding = assertInteger(options.padding ?? 0, "padding", where);
    const bodyLength =
      HEADER_FIXED_LENGTH + keyId.length + sealedLength(plaintext.length, padding, recordSize);
    if (bodyLength > MAX_CONTENT_LENGTH) {
      throw new RangeError(
        `${where}: plaintext and padding would make a ${bodyLength}-byte body; the limit is ${MAX_CONTENT_LENGTH}`,
      );
    }
    return guard(
      async () => {
        const keys = await aes128gcmKeys(p, salt, key);
        const body = new Uint8Array(bodyLength);
        const headerLength = writeHeader(body, salt, recordSize, keyId);
        await sealRecords(p, keys, plaintext, padding, recordSize, body, headerLength);
        return body;
      },
      "ERR_ECE_CRYPTO",
      `${where}: the runtime's crypto failed`,
    );
  }

  async function decryptContent(
    body: Uint8Array,
    options: DecryptContentOptions,
  ): Promise<Uint8Array> {
    const where = "decryptContent";
    assertBytes(body, "body", where);
    assertOptions(options, where);
    const key = assertLength(options.key, KEY_LENGTH, "key", "ERR_ECE_INVALID_KEY", where);
    const header = readHeader(body, where);
    return guard(
      async () => {
        const keys = await aes128gcmKeys(p, header.salt, key);
        return openRecords(p, keys, body, header.length, header.recordSize, where);
      },
      "ERR_ECE_DECRYPT",
      `${where}: the body could not be decrypted`,
    );
  }

  async function generateSubscriptionKeys(): Promise<SubscriptionKeys> {
    const pair = await guard(
      () => p.generateKeyPair(),
      "ERR_ECE_CRYPTO",
      "generateSubscriptionKeys: the runtime failed to generate a P-256 key pair",
    );
    return {
      uaPublic: copy(pair.publicKey),
      uaPrivate: copy(pair.privateKey),
      authSecret: p.randomBytes(AUTH_SECRET_LENGTH),
    };
  }

  return { encrypt, decrypt, encryptContent, decryptContent, generateSubscriptionKeys };
}
