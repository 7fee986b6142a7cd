// One HTTP/2 session to one push-service origin, multiplexing requests as streams.
// Measured here (ARCHITECTURE.md "Sending"): a single node:http2 session does ~3,500
// requests/s at 64 streams, twice undici's allowH2 path, so h2 origins get this.

import http2, { type ClientHttp2Session, type ClientHttp2Stream } from "node:http2";
import type { TLSSocket } from "node:tls";
import { MAX_RESPONSE_BODY, type TransportRequest, type TransportResponse } from "../transport.ts";
import { joinChunks, normalizeHeaders } from "./headers.ts";

/** Thrown when a request could not start because the session was going away; safe to resend. */
export class SessionGoneError extends Error {
  constructor(cause?: unknown) {
    super("HTTP/2 session closed before the request started", { cause });
  }
}

/** Close a session that carried no stream for this long. */
const IDLE_TIMEOUT_MS = 60_000;

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

export class H2Connection {
  readonly #session: ClientHttp2Session;
  #active = 0;
  #usable = true;
  readonly #waiters: Array<() => void> = [];
  readonly #onGone: () => void;

  constructor(origin: string, socket: TLSSocket, onGone: () => void) {
    this.#onGone = onGone;
    this.#session = http2.connect(origin, {
      createConnection: () => socket,
      settings: { enablePush: false },
    });
    const gone = () => this.#retire();
    this.#session.on("goaway", gone);
    this.#session.on("close", gone);
    this.#session.on("error", gone);
    this.#session.setTimeout(IDLE_TIMEOUT_MS, () => {
      if (this.#active === 0) this.#session.close();
    });
    this.#session.unref();
  }

  /** False once the peer sent GOAWAY or the session failed; new requests need a new session. */
  get usable(): boolean {
    return this.#usable && !this.#session.closed && !this.#session.destroyed;
  }

  #retire(): void {
    if (!this.#usable) return;
    this.#usable = false;
    this.#onGone();
    // Requests waiting for a stream slot go elsewhere.
    for (const wake of this.#waiters.splice(0)) wake();
  }

  #maxStreams(): number {
    // Before the peer's SETTINGS arrive Node reports the protocol default (unlimited); RFC
    // 9113 section 6.5.2 suggests peers allow at least 100, so start there.
    const max = this.#session.remoteSettings?.maxConcurrentStreams;
    return typeof max === "number" && max > 0 ? max : 100;
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    while (this.usable && this.#active >= this.#maxStreams()) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
      req.signal?.throwIfAborted();
    }
    if (!this.usable) throw new SessionGoneError();
    this.#active++;
    if (this.#active === 1) this.#session.ref();
    try {
      return await this.#stream(req);
    } finally {
      this.#active--;
      if (this.#active === 0) this.#session.unref();
      this.#waiters.shift()?.();
    }
  }

  #stream(req: TransportRequest): Promise<TransportResponse> {
    const { signal } = req;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const headers: http2.OutgoingHttpHeaders = {
      ":method": "POST",
      ":path": req.path,
      "content-length": String(req.body.length),
    };
    for (const name in req.headers) headers[name.toLowerCase()] = req.headers[name];

    return new Promise<TransportResponse>((resolve, reject) => {
      let stream: ClientHttp2Stream;
      try {
        stream = this.#session.request(headers, { endStream: false });
      } catch (error) {
        // ERR_HTTP2_GOAWAY_SESSION / ERR_HTTP2_INVALID_SESSION: nothing was sent.
        this.#retire();
        reject(new SessionGoneError(error));
        return;
      }
      let statusCode = 0;
      let responseHeaders: Record<string, string> = {};
      const chunks: Uint8Array[] = [];
      let received = 0;
      let settled = false;
      const finish = (error: unknown, response?: TransportResponse) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        if (error) reject(error);
        else resolve(response!);
      };
      const onAbort = () => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        finish(abortError(signal!));
      };
      signal?.addEventListener("abort", onAbort, { once: true });

      stream.on("response", (h) => {
        statusCode = Number(h[":status"]);
        responseHeaders = normalizeHeaders(h);
      });
      stream.on("data", (chunk: Buffer) => {
        // A Buffer is a Uint8Array, and joinChunks copies what it keeps: no copy here.
        if (received < MAX_RESPONSE_BODY) chunks.push(chunk);
        received += chunk.length;
      });
      stream.on("end", () =>
        finish(undefined, {
          statusCode,
          headers: responseHeaders,
          body: joinChunks(chunks, MAX_RESPONSE_BODY),
        }),
      );
      stream.on("error", (error) => {
        // A stream the peer refused (RST_STREAM or GOAWAY past it, RFC 9113 section 8.7) was
        // not processed: safe to resend on another session.
        if (statusCode === 0 && stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM) {
          finish(new SessionGoneError(error));
        } else {
          finish(error);
        }
      });
      stream.on("close", () => {
        if (settled) return;
        if (statusCode !== 0 && stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) {
          finish(undefined, {
            statusCode,
            headers: responseHeaders,
            body: joinChunks(chunks, MAX_RESPONSE_BODY),
          });
        } else if (stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM && statusCode === 0) {
          // The peer did not process the stream (RFC 9113 section 8.7): safe to resend.
          finish(new SessionGoneError(new Error("stream refused")));
        } else {
          finish(
            new Error(`HTTP/2 stream closed (code ${stream.rstCode}) before the answer ended`),
          );
        }
      });
      stream.end(req.body);
    });
  }

  close(): Promise<void> {
    this.#retire();
    if (this.#session.closed || this.#session.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // An idle session is unref'd; hold the loop until the close completes, or a caller
      // awaiting close() would see the process exit under it.
      this.#session.ref();
      // A peer that never acknowledges must not hold close() forever.
      const timer = setTimeout(() => {
        this.#session.destroy();
        resolve();
      }, 2000);
      this.#session.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  destroy(): void {
    this.#retire();
    this.#session.destroy();
  }
}
