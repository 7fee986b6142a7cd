/**
 * The demo's settings, read from environment variables.
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
  /** Folder of the client files. */
  publicDir: string;
}

/** The contact used when none is configured; example.com is reserved for examples (RFC 2606). */
export const PLACEHOLDER_SUBJECT = "mailto:demo@example.com";

/**
 * Reads the configuration from `env`. Throws a `TypeError` naming the variable for a
 * value that cannot be used.
 *
 * @example
 * ```ts
 * const config = loadConfig({ PORT: "3000", DEMO_ALLOW_HOSTS: "localhost" });
 * ```
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): DemoConfig {
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
    allowHosts: (env.DEMO_ALLOW_HOSTS ?? "")
      .split(",")
      .map((host) => host.trim())
      .filter((host) => host !== ""),
    publicDir: fileURLToPath(new URL("../public/", import.meta.url)),
  };
}
