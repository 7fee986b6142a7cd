/**
 * The demo's settings, read from environment variables (and `--origin` on the command line).
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** Everything the demo needs to start. */
export interface DemoConfig {
  /** TCP port (`PORT`, default 8080; 0 picks a free one). */
  port: number;
  /** Interface to listen on (`HOST`, default 127.0.0.1: reachable from this machine only). */
  host: string;
  /** Folder of `subscriptors.db`, `private_key.pem` and `public_key.pem` (`DEMO_DATA_DIR`, default `apps/demo/data`). */
  dataDir: string;
  /** The VAPID contact (`DEMO_SUBJECT`, else `SWP_SUBJECT`, else a placeholder). */
  subject: string;
  /** True when `subject` is the placeholder, so the demo can say so on start. */
  subjectIsPlaceholder: boolean;
  /**
   * Push-service hosts exempt from the sender's SSRF guard (`DEMO_ALLOW_HOSTS`, comma
   * separated, e.g. `localhost,127.0.0.1` for a local push service). Empty by default.
   */
  allowHosts: string[];
  /**
   * The origins (`https://demo.example.net`) browsers load the page from when it is served
   * under a public name, e.g. behind a reverse proxy (`DEMO_ORIGIN`, comma separated, or
   * `--origin`). Each POST's `Origin` must be one of them. Empty (the default) means a
   * local demo: only `http://localhost`, `http://127.0.0.1` and `http://[::1]` on the
   * listening port are accepted.
   */
  origins: string[];
  /** Folder of the client files. */
  publicDir: string;
}

/** The contact used when none is configured; example.com is reserved for examples (RFC 2606). */
export const PLACEHOLDER_SUBJECT = "mailto:demo@example.com";

/**
 * Reads the configuration from `env` and the command-line arguments `argv` (only
 * `--origin <url>` or `--origin=<url>`, which may repeat and wins over `DEMO_ORIGIN`).
 * Throws a `TypeError` naming the variable or flag for a value that cannot be used.
 *
 * @example
 * ```ts
 * const config = loadConfig({ PORT: "3000", DEMO_ALLOW_HOSTS: "localhost" });
 * const proxied = loadConfig(process.env, ["--origin", "https://demo.example.net"]);
 * ```
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  argv: readonly string[] = [],
): DemoConfig {
  const flagged = readOriginFlags(argv);
  const portText = env.PORT?.trim() || "8080";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new TypeError(`PORT must be a port number (0-65535), got "${env.PORT}"`);
  }
  const configured = env.DEMO_SUBJECT?.trim() || env.SWP_SUBJECT?.trim() || undefined;
  const subject = configured ?? PLACEHOLDER_SUBJECT;
  if (!/^(mailto:|https:)/.test(subject)) {
    throw new TypeError(
      `DEMO_SUBJECT must be a mailto: or https: URI (RFC 8292 section 2.1), got "${subject}"`,
    );
  }
  return {
    port,
    host: env.HOST?.trim() || "127.0.0.1",
    dataDir: env.DEMO_DATA_DIR?.trim() || fileURLToPath(new URL("../data/", import.meta.url)),
    subject,
    subjectIsPlaceholder: configured === undefined,
    allowHosts: splitList(env.DEMO_ALLOW_HOSTS),
    origins:
      flagged.length > 0
        ? flagged.map((value) => parseOrigin(value, "--origin"))
        : splitList(env.DEMO_ORIGIN).map((value) => parseOrigin(value, "DEMO_ORIGIN")),
    publicDir: fileURLToPath(new URL("../public/", import.meta.url)),
  };
}

function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** The values of `--origin`; any other argument is a mistake worth stopping for. */
function readOriginFlags(argv: readonly string[]): string[] {
  const origins: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith("--origin=")) {
      origins.push(arg.slice("--origin=".length));
    } else if (arg === "--origin") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--")) {
        throw new TypeError("--origin needs a value, e.g. --origin https://demo.example.net");
      }
      origins.push(value);
    } else {
      throw new TypeError(
        `unknown argument "${arg}": the demo takes only --origin <url>; see apps/demo/README.md`,
      );
    }
  }
  return origins;
}

/**
 * An origin as browsers send it in the `Origin` header: scheme, host and port only
 * (`https://demo.example.net`, no path). A trailing slash is forgiven.
 */
function parseOrigin(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(
      `${name} must be an origin such as https://demo.example.net, got "${value}"`,
    );
  }
  if (
    (url.protocol !== "https:" && url.protocol !== "http:") ||
    url.username !== "" ||
    url.password !== "" ||
    url.pathname !== "/" ||
    url.search !== "" ||
    url.hash !== ""
  ) {
    throw new TypeError(
      `${name} must be an http(s) origin without path, query or credentials (e.g. https://demo.example.net), got "${value}"`,
    );
  }
  return url.origin;
}
