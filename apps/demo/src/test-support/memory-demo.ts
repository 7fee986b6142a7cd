/**
 * The demo server on a {@link MemoryPusher}, listening on 127.0.0.1, with its log lines
 * collected, and a client that controls every header (`Host` included, which `fetch`
 * will not let a caller set).
 */

import { createECDH, randomBytes } from "node:crypto";
import { once } from "node:events";
import { request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { DemoSubscription } from "../demo-pusher.ts";
import { createDemoServer } from "../server.ts";
import { MemoryPusher } from "./memory-pusher.ts";

export interface MemoryDemo {
  server: Server;
  port: number;
  pusher: MemoryPusher;
  /** Every line the server logged, in order. */
  logs: string[];
  close(): Promise<void>;
}

export async function startMemoryDemo(o: { origins?: string[] } = {}): Promise<MemoryDemo> {
  const pusher = new MemoryPusher();
  const logs: string[] = [];
  const server = createDemoServer({
    pusher,
    publicDir: fileURLToPath(new URL("../../public/", import.meta.url)),
    logError: (line) => logs.push(line),
    ...(o.origins ? { origins: o.origins } : {}),
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    server,
    port: (server.address() as AddressInfo).port,
    pusher,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: { error?: string; code?: string; [key: string]: unknown };
}

/** A request with exactly the given headers (and a JSON body), over a fresh connection. */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<RawAnswer> {
  const text = body === undefined ? "" : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent: false,
        headers: {
          ...(text ? { "Content-Type": "application/json" } : {}),
          "Content-Length": String(Buffer.byteLength(text)),
          ...headers,
        },
      },
      async (res) => {
        let data = "";
        res.setEncoding("utf8");
        for await (const chunk of res) data += chunk;
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          json: data ? JSON.parse(data) : {},
        });
      },
    );
    req.once("error", reject);
    req.end(text);
  });
}

/** One browser session: keeps its cookie, posts as a page of `origin` would. */
export class SessionClient {
  cookie: string | undefined;
  constructor(
    readonly port: number,
    readonly origin: string = `http://localhost:${port}`,
  ) {}

  async post(path: string, body?: unknown, headers: Record<string, string> = {}) {
    const answer = await rawRequest(
      this.port,
      "POST",
      path,
      {
        Host: new URL(this.origin).host,
        Origin: this.origin,
        ...(this.cookie ? { Cookie: this.cookie } : {}),
        ...headers,
      },
      body,
    );
    const set = answer.headers["set-cookie"];
    if (set?.[0]) this.cookie = set[0].split(";")[0];
    return answer;
  }
}

/** A subscription with real keys (a P-256 point and 16 random bytes), as a browser makes. */
export function makeSubscription(
  endpoint = `https://push.example.net/wpush/${randomBytes(8).toString("hex")}`,
): DemoSubscription {
  const ecdh = createECDH("prime256v1");
  return {
    endpoint,
    keys: {
      p256dh: ecdh.generateKeys().toString("base64url"),
      auth: randomBytes(16).toString("base64url"),
    },
  };
}
