/**
 * Serving the client (the codelab's files in `public/`).
 *
 * @module
 */

import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { HttpError } from "./errors.ts";
import { SECURITY_HEADERS } from "./lib/respond.ts";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * The page may load only its own scripts, styles and images, and talk only to this
 * server; nothing comes from a CDN.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/**
 * Serves `GET`/`HEAD` of a file under `root` (`/` is `index.html`). Refuses paths that
 * leave `root`, hidden files and unknown types with 404, other methods with 405.
 * `Cache-Control: no-cache` so a changed `sw.js` or `main.js` is picked up at once.
 *
 * @example
 * ```ts
 * await serveStatic(req, res, "/srv/demo/public");
 * ```
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  pathname: string,
): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    throw new HttpError(405, "ERR_DEMO_METHOD_NOT_ALLOWED", `${req.method} is not allowed here`, {
      headers: { Allow: "GET, HEAD" },
    });
  }
  const file = resolveFile(root, pathname);
  const type = file === undefined ? undefined : CONTENT_TYPES[extname(file)];
  const info = file === undefined ? undefined : await stat(file).catch(() => undefined);
  if (file === undefined || type === undefined || info === undefined || !info.isFile()) {
    throw new HttpError(404, "ERR_DEMO_NOT_FOUND", `${pathname} not found`);
  }
  const body = await readFile(file);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "Content-Type": type,
    "Content-Length": String(body.length),
    "Cache-Control": "no-cache",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** Maps a URL path to a file inside `root`, or undefined when it would leave it. */
export function resolveFile(root: string, pathname: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (path.endsWith("/")) path += "index.html";
  const segments = path.split("/").filter((s) => s !== "");
  if (segments.some((s) => s.startsWith(".") || s.includes("\\") || s.includes("\0"))) {
    return undefined;
  }
  const base = resolve(root);
  const file = resolve(join(base, ...segments));
  return file.startsWith(base + sep) ? file : undefined;
}
