import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type VapidKeys, vapidKeysFromBase64Url } from "@swp/vapid";
import { isSwpError } from "../../errors.ts";
import type { PusherOptions } from "../../options.ts";
import { Pusher } from "../../pusher.ts";
import { cliWords } from "./cli-message.ts";
import type { OptionSpec } from "./command.ts";
import { ConfigError } from "./config-error.ts";
import { InputError } from "./input-error.ts";
import type { CliIo } from "./io.ts";
import { printable } from "./printable.ts";
import { UsageError } from "./usage-error.ts";

/** `--json` and `--help`, accepted by every command. */
export const outputOptions: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "print one JSON document on standard output, for scripts" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

/** Where the keys live. */
export const keyOptions: Record<string, OptionSpec> = {
  dir: {
    type: "string",
    valueName: "path",
    description:
      "directory of private_key.pem, public_key.pem and subscriptors.db (default: $SWP_DATA_DIR, else the current directory)",
  },
  key: {
    type: "string",
    valueName: "path",
    description:
      "VAPID private key PEM (default: $VAPID_PRIVATE_KEY and $VAPID_PUBLIC_KEY if set, the base64url keys web-push uses; else <dir>/private_key.pem)",
  },
  "public-key": {
    type: "string",
    valueName: "path",
    description:
      "where the public key PEM is written (default: public_key.pem beside the private key)",
  },
};

/** Where the subscriptions live. */
export const storeOptions: Record<string, OptionSpec> = {
  dir: keyOptions.dir!,
  db: {
    type: "string",
    valueName: "path",
    description: "subscriptions database (default: <dir>/subscriptors.db)",
  },
  postgres: {
    type: "string",
    valueName: "url",
    description:
      "keep the subscriptions in PostgreSQL instead, postgres://user:password@host/db (default: $SWP_POSTGRES_URL; needs @swp/store-postgres)",
  },
};

/** `--declarative`: the message as a Declarative Web Push message, for send and notify-all. */
export const declarativeOption: Record<string, OptionSpec> = {
  declarative: {
    type: "string",
    valueName: "file|json|-",
    description:
      "send a Declarative Web Push message (Safari 18.4+; other browsers hand the JSON to the service worker) built from this JSON, " +
      '{"notification":{"title":…,"navigate":"https://…"}}: a file, inline JSON, or - for standard input; instead of <message>',
  },
};

/** How messages are delivered. */
export const deliveryOptions: Record<string, OptionSpec> = {
  subject: {
    type: "string",
    valueName: "uri",
    description:
      'VAPID contact, "mailto:you@example.com" or an https: URL (default: $SWP_SUBJECT, else $VAPID_SUBJECT)',
  },
  "allow-local-subject": {
    type: "boolean",
    description:
      "accept a --subject on a local host (mailto:me@localhost), for a local push service only: real ones refuse it",
  },
  ttl: {
    type: "string",
    valueName: "seconds",
    description: "how long the push service keeps the message (RFC 8030 TTL)",
  },
  urgency: {
    type: "string",
    valueName: "level",
    description: "very-low, low, normal or high (RFC 8030 Urgency)",
  },
  topic: {
    type: "string",
    valueName: "name",
    description:
      "replaces an undelivered message with the same topic (up to 32 base64url characters)",
  },
  encoding: {
    type: "string",
    valueName: "name",
    description: "aes128gcm (default) or aesgcm (legacy)",
  },
  timeout: {
    type: "string",
    valueName: "ms",
    description: "time limit of each request in milliseconds",
  },
  retries: {
    type: "string",
    valueName: "n",
    description: "retries after 429, 5xx or a network error",
  },
  ca: {
    type: "string",
    multiple: true,
    valueName: "file",
    description:
      "also trust this CA certificate PEM (a test or on-premise push service); repeatable",
  },
  "allow-host": {
    type: "string",
    multiple: true,
    valueName: "host",
    description:
      "let endpoints on this host through the private-address guard (e.g. 127.0.0.1); repeatable",
  },
  verbose: {
    type: "boolean",
    short: "v",
    description: "one line per push-service answer on standard error",
  },
};

const URGENCIES = ["very-low", "low", "normal", "high"] as const;
const ENCODINGS = ["aes128gcm", "aesgcm"] as const;

function integer(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} must be an integer of at least ${min}, got '${value}'`);
  }
  return Number(value);
}

/** The per-message options (`--ttl`, `--urgency`, …) as `SendOptions`, checked. */
export function sendOptionsFrom(values: Record<string, unknown>): {
  ttl?: number;
  urgency?: (typeof URGENCIES)[number];
  topic?: string;
  encoding?: (typeof ENCODINGS)[number];
  timeout?: number;
  retries?: number;
} {
  const ttl = integer("ttl", values.ttl as string | undefined, 0);
  const timeout = integer("timeout", values.timeout as string | undefined, 1);
  const retries = integer("retries", values.retries as string | undefined, 0);
  const urgency = values.urgency as string | undefined;
  if (urgency !== undefined && !(URGENCIES as readonly string[]).includes(urgency)) {
    throw new UsageError(`--urgency must be one of ${URGENCIES.join(", ")}, got '${urgency}'`);
  }
  const encoding = values.encoding as string | undefined;
  if (encoding !== undefined && !(ENCODINGS as readonly string[]).includes(encoding)) {
    throw new UsageError(`--encoding must be aes128gcm or aesgcm, got '${encoding}'`);
  }
  const topic = values.topic as string | undefined;
  return {
    ...(ttl === undefined ? {} : { ttl }),
    ...(urgency === undefined ? {} : { urgency: urgency as (typeof URGENCIES)[number] }),
    ...(topic === undefined ? {} : { topic }),
    ...(encoding === undefined ? {} : { encoding: encoding as (typeof ENCODINGS)[number] }),
    ...(timeout === undefined ? {} : { timeout }),
    ...(retries === undefined ? {} : { retries }),
  };
}

/**
 * The keys web-push users keep in the environment (`VAPID_PRIVATE_KEY`, and
 * `VAPID_PUBLIC_KEY`, base64url), decoded and checked here so that a bad value is named by
 * its variable; `undefined` when they are not set or `--key` names a key file. Private keys
 * are taken from the environment only, never from a flag: a flag's value shows in `ps` and in
 * the shell's history.
 */
async function keysFromEnvironment(
  values: Record<string, unknown>,
  env: CliIo["env"],
): Promise<VapidKeys | undefined> {
  if (values.key !== undefined) return undefined;
  const publicKey = env.VAPID_PUBLIC_KEY || undefined;
  const privateKey = env.VAPID_PRIVATE_KEY || undefined;
  if (privateKey === undefined) {
    if (publicKey === undefined) return undefined;
    throw new ConfigError(
      "VAPID_PUBLIC_KEY is set but VAPID_PRIVATE_KEY is not: set both (the keys web-push prints) " +
        "or neither (the key file, --key)",
    );
  }
  try {
    return await vapidKeysFromBase64Url(
      publicKey === undefined ? { privateKey } : { publicKey, privateKey },
    );
  } catch (cause) {
    // The library's message says what is wrong with a key, never its value.
    const detail = isSwpError(cause) ? cause.message : "not a VAPID key pair";
    throw new ConfigError(
      `VAPID_PRIVATE_KEY${publicKey === undefined ? "" : " / VAPID_PUBLIC_KEY"}: ${detail}`,
      { cause },
    );
  }
}

/**
 * Builds the `Pusher` the common options describe. `usesKeys` is false for commands that
 * never sign (`swp subscriptions`): they ignore the key variables, even a half-set pair.
 */
export async function pusherFrom(
  values: Record<string, unknown>,
  io: CliIo,
  usesKeys = true,
): Promise<Pusher> {
  const dir = (values.dir as string | undefined) ?? io.env.SWP_DATA_DIR ?? ".";
  const options: PusherOptions = {
    dbPath: (values.db as string | undefined) ?? join(dir, "subscriptors.db"),
    keyPath: (values.key as string | undefined) ?? join(dir, "private_key.pem"),
    verbose: values.verbose === true,
    // Verbose lines quote push services' answers: CLI words, escaped for the terminal.
    log: (line) => io.stderr.write(`${printable(cliWords(line))}\n`),
  };
  const keys = usesKeys ? await keysFromEnvironment(values, io.env) : undefined;
  if (keys !== undefined) options.keys = keys;
  const postgres =
    (values.postgres as string | undefined) ?? (io.env.SWP_POSTGRES_URL || undefined);
  if (postgres !== undefined) options.postgres = postgres;
  const publicKeyPath = values["public-key"] as string | undefined;
  if (publicKeyPath !== undefined) options.publicKeyPath = publicKeyPath;
  const subject =
    (values.subject as string | undefined) ??
    (io.env.SWP_SUBJECT || io.env.VAPID_SUBJECT || undefined);
  if (subject !== undefined) options.subject = subject;
  if (values["allow-local-subject"] === true) options.allowLocalSubject = true;
  const allowHosts = values["allow-host"] as string[] | undefined;
  if (allowHosts?.length) options.allowHosts = allowHosts;
  const caFiles = values.ca as string[] | undefined;
  if (caFiles?.length) {
    options.ca = await Promise.all(
      caFiles.map((file) =>
        readFile(file, "utf8").catch((cause: NodeJS.ErrnoException) => {
          throw new InputError(`cannot read --ca file ${file}: ${cause.code ?? cause.message}`, {
            cause,
          });
        }),
      ),
    );
  }
  return new Pusher(options);
}
