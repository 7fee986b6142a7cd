/**
 * The demo's HTTP server: bare `node:http`, the API routes and the static client.
 *
 * @module
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { DEFAULT_MAX_BODY_BYTES } from "./body.ts";
import type { DemoPusher } from "./demo-pusher.ts";
import { HttpError } from "./errors.ts";
import { oneLine } from "./lib/one-line.ts";
import { sendJson } from "./lib/respond.ts";
import { allowedOrigins, checkOrigin } from "./origin.ts";
import { isNamed, ROUTES } from "./routes.ts";
import { ensureSession } from "./session.ts";
import { serveStatic } from "./static-files.ts";

/** Options of {@link createDemoServer}. */
export interface DemoServerOptions {
  /** Sends and stores: a `Pusher` from `@swp/pusher`, or anything with its methods. */
  pusher: DemoPusher;
  /** The folder holding the client (`index.html`, `sw.js`, …). */
  publicDir: string;
  /** Largest JSON body accepted, in bytes (8 KiB). */
  maxBodyBytes?: number;
  /**
   * Public origins pages are served from (`DEMO_ORIGIN`); empty or absent for a local demo,
   * where only the loopback names on the listening port are accepted. See `checkOrigin`.
   */
  origins?: readonly string[];
  /**
   * Where failures are reported, one line each (standard error): unexpected errors, failed
   * pushes with the sender's own reason, clients that went away mid-request.
   */
  logError?: (message: string) => void;
}

/**
 * Creates (does not start) the demo server. Every request ends in an answer: refusals are
 * JSON `{ error }` with 400/403/404/405/409/413/415, unexpected failures a 500 (logged on
 * one line, the details never sent), and no request can crash the process. A client that
 * goes away before its answer gets none: one log line, no 500.
 *
 * @example
 * ```ts
 * const server = createDemoServer({ pusher: new Pusher({ subject }), publicDir: "public" });
 * server.listen(8080);
 * ```
 */
export function createDemoServer(o: DemoServerOptions): Server {
  const maxBodyBytes = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const origins = [...(o.origins ?? [])];
  const writeLog = o.logError ?? ((message: string) => process.stderr.write(`${message}\n`));
  const server = createServer((req, res) => {
    const log = (message: string) =>
      writeLog(oneLine(`demo: ${req.method} ${req.url}: ${message}`));
    handle(req, res, log).catch((error: unknown) => {
      const refusal = toHttpError(error);
      if (refusal?.code === "ERR_DEMO_CLIENT_ABORTED" || res.destroyed) {
        // Nobody is left to read an answer: not a server failure, so no 500 and no stack.
        log(refusal?.code === "ERR_DEMO_CLIENT_ABORTED" ? refusal.message : "the client went away");
        res.destroy();
        return;
      }
      if (refusal === undefined) log(`failed: ${describeUnexpected(error)}`);
      const answer = refusal ?? new HttpError(500, "ERR_DEMO_INTERNAL", "internal error");
      sendJson(res, answer.status, { error: answer.message, code: answer.code }, answer.headers);
      // An oversized body is not read to its end: let it go with the connection.
      if (answer.status === 413) req.resume();
    });
  });
  // A malformed request line or headers: answer 400 instead of dropping the socket silently.
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    log: (message: string) => void,
  ): Promise<void> {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    const route = ROUTES[pathname];
    if (route !== undefined) {
      if (req.method !== route.method) {
        throw new HttpError(
          405,
          "ERR_DEMO_METHOD_NOT_ALLOWED",
          `${req.method} is not allowed on ${pathname}; use ${route.method}`,
          {
            headers: { Allow: route.method },
          },
        );
      }
      if (route.method === "POST") checkOrigin(req, origins);
      const allowed = allowedOrigins(origins, req.socket.localPort ?? 0);
      // On a POST, checkOrigin has vouched for a present Origin: the page's own, which links
      // in notifications then point at. Otherwise the first origin the demo answers to.
      const origin = route.method === "POST" ? req.headers.origin : undefined;
      const appOrigin = origin ?? (allowed[0] as string);
      await route.handler({ req, res, pusher: o.pusher, maxBodyBytes, log, appOrigin });
      return;
    }
    if (pathname.startsWith("/api/")) {
      throw new HttpError(404, "ERR_DEMO_NOT_FOUND", `no API at ${pathname}`);
    }
    // The first visit to the page gets its session cookie.
    if (pathname === "/" || pathname.endsWith(".html")) ensureSession(req, res);
    await serveStatic(req, res, o.publicDir, pathname);
  }

  return server;
}

/**
 * The answer for errors that are the request's fault: the demo's own refusals, and the
 * errors of `@swp/*` packages about what the client sent (a malformed subscription, a
 * payload too large for one push message, a declarative message a browser would refuse).
 */
function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code.startsWith("ERR_SUBSCRIPTION")) {
    return new HttpError(400, "ERR_DEMO_BAD_REQUEST", error.message, { cause: error });
  }
  if (typeof code === "string" && code.startsWith("ERR_DECLARATIVE")) {
    // A declarative message built from what the client sent: its text is the client's.
    return code === "ERR_DECLARATIVE_TOO_LARGE"
      ? new HttpError(413, "ERR_DEMO_BODY_TOO_LARGE", error.message, { cause: error })
      : new HttpError(400, "ERR_DEMO_BAD_REQUEST", error.message, { cause: error });
  }
  if (code === "ERR_PUSH_PAYLOAD_TOO_LARGE") {
    return new HttpError(413, "ERR_DEMO_BODY_TOO_LARGE", error.message, { cause: error });
  }
  if (isNamed(error, "SessionIdError")) {
    return new HttpError(400, "ERR_DEMO_BAD_REQUEST", error.message, { cause: error });
  }
  return undefined;
}

/** An unexpected error in one line: class, code and message, without the stack. */
function describeUnexpected(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === "string" ? ` [${code}]` : ""}: ${error.message}`;
}
