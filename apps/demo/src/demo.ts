/**
 * Starting and stopping the whole demo: the `Pusher` on the data directory, and the server.
 *
 * @module
 */

import { mkdir } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Pusher } from "@swp/pusher";
import type { DemoConfig } from "./config.ts";
import { createDemoServer } from "./server.ts";

/** A running demo, from {@link startDemo}. */
export interface RunningDemo {
  /** `http://localhost:<port>` (or the configured host). */
  url: string;
  port: number;
  /** How many subscriptions the data directory held at start. */
  storedSubscriptions: number;
  server: Server;
  pusher: Pusher;
  /** Stops accepting requests, then closes the pusher (store and connections). */
  close(): Promise<void>;
}

/** Options of {@link startDemo} beyond the configuration. */
export interface StartDemoOptions {
  /**
   * Extra CA certificates (PEM) the sender trusts, e.g. a local push service's. Outside
   * tests, `NODE_EXTRA_CA_CERTS` does the same for the `node dist/main.js` process.
   */
  ca?: string | string[];
  /** Where the server logs failures, one line each (standard error). */
  logError?: (message: string) => void;
}

/**
 * Creates the data directory, a `Pusher` on it (keys and `subscriptors.db` made on first
 * run), and starts the server.
 *
 * @example
 * ```ts
 * const demo = await startDemo(loadConfig());
 * console.log(`Push Codelab at ${demo.url}`);
 * ```
 */
export async function startDemo(
  config: DemoConfig,
  o: StartDemoOptions = {},
): Promise<RunningDemo> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const pusher = new Pusher({
    dbPath: join(config.dataDir, "subscriptors.db"),
    keyPath: join(config.dataDir, "private_key.pem"),
    publicKeyPath: join(config.dataDir, "public_key.pem"),
    subject: config.subject,
    ...(config.allowHosts.length > 0 ? { allowHosts: config.allowHosts } : {}),
    ...(o.ca === undefined ? {} : { ca: o.ca }),
  });
  // Makes the keys and opens (creates) subscriptors.db now rather than on the first page
  // view, so a bad data directory fails at start.
  await pusher.getUrlB64PublicKey();
  const storedSubscriptions = await pusher.countSubscriptions();
  const server = createDemoServer({
    pusher,
    publicDir: config.publicDir,
    origins: config.origins,
    ...(o.logError === undefined ? {} : { logError: o.logError }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host =
    config.host === "127.0.0.1" ||
    config.host === "::1" ||
    config.host === "0.0.0.0" ||
    config.host === "::"
      ? "localhost"
      : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    storedSubscriptions,
    server,
    pusher,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pusher.close();
    },
  };
}
