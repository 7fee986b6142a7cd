import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { PusherOptions } from "../../options.ts";
import { Pusher } from "../../pusher.ts";
import type { OptionSpec } from "./command.ts";
import { InputError } from "./input-error.ts";
import type { CliIo } from "./io.ts";
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
    description: "VAPID private key PEM (default: <dir>/private_key.pem)",
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

/** How messages are delivered. */
export const deliveryOptions: Record<string, OptionSpec> = {
  subject: {
    type: "string",
    valueName: "uri",
    description: 'VAPID contact, "mailto:you@example.com" or an https: URL (default: $SWP_SUBJECT)',
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

/** Builds the `Pusher` the common options describe. */
export async function pusherFrom(values: Record<string, unknown>, io: CliIo): Promise<Pusher> {
  const dir = (values.dir as string | undefined) ?? io.env.SWP_DATA_DIR ?? ".";
  const options: PusherOptions = {
    dbPath: (values.db as string | undefined) ?? join(dir, "subscriptors.db"),
    keyPath: (values.key as string | undefined) ?? join(dir, "private_key.pem"),
    verbose: values.verbose === true,
    log: (line) => io.stderr.write(`${line}\n`),
  };
  const postgres =
    (values.postgres as string | undefined) ?? (io.env.SWP_POSTGRES_URL || undefined);
  if (postgres !== undefined) options.postgres = postgres;
  const publicKeyPath = values["public-key"] as string | undefined;
  if (publicKeyPath !== undefined) options.publicKeyPath = publicKeyPath;
  const subject = (values.subject as string | undefined) ?? (io.env.SWP_SUBJECT || undefined);
  if (subject !== undefined) options.subject = subject;
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
