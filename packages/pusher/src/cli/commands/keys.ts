import { base64urlEncode } from "@swp/subscription";
import { publicKeyToPem } from "@swp/vapid";
import type { Command } from "../lib/command.ts";
import { keyOptions, outputOptions } from "../lib/common-options.ts";
import { ExitCode } from "../lib/exit-codes.ts";
import { UsageError } from "../lib/usage-error.ts";

const FORMATS = ["base64url", "pem", "jwk", "web-push"] as const;

/** The public key as a JWK (RFC 7517/7518): the x and y halves of the uncompressed point. */
function publicJwk(publicKey: Uint8Array): { kty: "EC"; crv: "P-256"; x: string; y: string } {
  return {
    kty: "EC",
    crv: "P-256",
    x: base64urlEncode(publicKey.subarray(1, 33)),
    y: base64urlEncode(publicKey.subarray(33, 65)),
  };
}

/** `swp keys`: creates the VAPID keys if they do not exist, and prints the public key. */
export const keysCommand: Command = {
  name: "keys",
  summary: "create the VAPID keys if needed and print the public key",
  usage: ["keys [--format base64url|pem|jwk|web-push] [--dir <path>] [--json]"],
  description:
    "Loads the VAPID key pair from private_key.pem, creating it (mode 0600, with public_key.pem " +
    "beside it) on first use, or takes it from $VAPID_PRIVATE_KEY and $VAPID_PUBLIC_KEY (the " +
    "base64url keys web-push uses) when they are set, and prints the public key: base64url by " +
    "default, the applicationServerKey a browser passes to pushManager.subscribe(). Only " +
    "--format web-push prints the private key too, as web-push's `generate-vapid-keys --json` " +
    'does ({"publicKey":"…","privateKey":"…"}), to move the keys to a web-push server or to ' +
    "those variables: treat that output as the secret it is.",
  options: {
    format: {
      type: "string",
      valueName: "name",
      description:
        "base64url (default), pem (SPKI), jwk, or web-push (both keys as JSON, like web-push generate-vapid-keys --json)",
    },
    ...keyOptions,
    ...outputOptions,
  },
  async run({ values, positionals, io, json, pusher }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const format = (values.format as string | undefined) ?? "base64url";
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got '${format}'`);
    }
    if (format === "web-push") {
      // Exactly web-push's `generate-vapid-keys --json`: JSON.stringify of { publicKey,
      // privateKey }, both base64url without padding, and a newline (its console.log).
      const p = await pusher();
      const keys = {
        publicKey: await p.getUrlB64PublicKey(),
        privateKey: await p.getUrlB64PrivateKey(),
      };
      io.stdout.write(`${JSON.stringify(keys)}\n`);
      return ExitCode.OK;
    }
    const publicKey = await (await pusher()).getPublicKey();
    if (json) {
      io.stdout.write(
        `${JSON.stringify({
          publicKey: base64urlEncode(publicKey),
          pem: await publicKeyToPem(publicKey),
          jwk: publicJwk(publicKey),
        })}\n`,
      );
    } else if (format === "pem") {
      const pem = await publicKeyToPem(publicKey);
      io.stdout.write(pem.endsWith("\n") ? pem : `${pem}\n`);
    } else if (format === "jwk") {
      io.stdout.write(`${JSON.stringify(publicJwk(publicKey))}\n`);
    } else {
      io.stdout.write(`${base64urlEncode(publicKey)}\n`);
    }
    return ExitCode.OK;
  },
};
