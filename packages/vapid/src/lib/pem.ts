// PEM armor (RFC 7468): "-----BEGIN <label>-----", base64 body, "-----END <label>-----".

import { base64Decode, base64Encode } from "@swp/subscription";
import { DerError } from "./der.ts";

/** One armored block: its label (`EC PRIVATE KEY`, `PRIVATE KEY`, …) and DER body. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

/** Every block in `text`, in order; explanatory text between blocks is ignored (RFC 7468 §2). */
export function readPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const [, label = "", body = "", endLabel] = match;
    if (endLabel !== label) {
      throw new DerError(`PEM block "BEGIN ${label}" ends with "END ${endLabel}"`);
    }
    // RFC 1421 headers ("Proc-Type: 4,ENCRYPTED", "DEK-Info: …") mean a passphrase-encrypted
    // legacy key, which we cannot read without the passphrase.
    if (body.includes(":")) {
      throw new DerError(
        /ENCRYPTED/.test(body)
          ? `PEM "${label}" is encrypted with a passphrase; decrypt it first (openssl ec -in key.pem -out plain.pem)`
          : `PEM "${label}" has headers, which are not supported`,
      );
    }
    let der: Uint8Array;
    try {
      der = base64Decode(body.replace(/\s+/g, ""));
    } catch (cause) {
      throw new DerError(`PEM "${label}" body is not base64`, { cause });
    }
    if (der.length === 0) throw new DerError(`PEM "${label}" is empty`);
    blocks.push({ label, der });
  }
  return blocks;
}

/** Armors DER with `label`, 64 base64 characters a line, trailing newline. */
export function writePem(label: string, der: Uint8Array): string {
  const body = base64Encode(der);
  let out = `-----BEGIN ${label}-----\n`;
  for (let i = 0; i < body.length; i += 64) out += `${body.slice(i, i + 64)}\n`;
  return `${out}-----END ${label}-----\n`;
}
