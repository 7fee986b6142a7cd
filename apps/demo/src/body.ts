/**
 * Reading a JSON request body with a size limit.
 *
 * @module
 */

import type { IncomingMessage } from "node:http";
import { HttpError } from "./errors.ts";

/** Default limit: a subscription is about 500 bytes and a push payload at most 4 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024;

/**
 * Reads the request body as JSON. An empty body reads as `{}`. Refuses (with
 * {@link HttpError}) a body over `limit` bytes (413, without reading the rest), a
 * non-JSON content type (415, which also keeps cross-site forms out), and text that is
 * not a JSON object (400). A client that goes away mid-body is `ERR_DEMO_CLIENT_ABORTED`.
 *
 * @example
 * ```ts
 * const body = await readJsonBody(req, 8192); // { subscription: {...} }
 * ```
 */
export async function readJsonBody(
  req: IncomingMessage,
  limit: number = DEFAULT_MAX_BODY_BYTES,
): Promise<Record<string, unknown>> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(declared, limit);

  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge(size, limit);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    // The client closed the connection before the end of its body (Node: "aborted",
    // ECONNRESET). Nobody is left to answer, and nothing went wrong on this side.
    const expected = Number.isFinite(declared) ? ` of ${declared}` : "";
    throw new HttpError(
      400,
      "ERR_DEMO_CLIENT_ABORTED",
      `the client closed the connection after ${size}${expected} bytes of the body`,
      { cause: error },
    );
  }
  if (size === 0) return {};

  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new HttpError(
      415,
      "ERR_DEMO_UNSUPPORTED_MEDIA_TYPE",
      `expected Content-Type: application/json, got ${type ? `"${type}"` : "none"}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new HttpError(400, "ERR_DEMO_BAD_JSON", "the body is not valid JSON", { cause: error });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpError(400, "ERR_DEMO_BAD_JSON", "the body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

function tooLarge(size: number, limit: number): HttpError {
  return new HttpError(
    413,
    "ERR_DEMO_BODY_TOO_LARGE",
    `the body is ${size} bytes or more; at most ${limit} bytes are accepted`,
    // The rest of an oversized body is not read: close the connection after answering.
    { headers: { Connection: "close" } },
  );
}
