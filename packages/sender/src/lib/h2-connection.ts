// One HTTP/2 session to one push-service origin, multiplexing requests as streams.
// Measured here (ARCHITECTURE.md "Sending"): a single node:http2 session does ~3,500
// requests/s at 64 streams, twice undici's allowH2 path, so h2 origins get this.

import http2, { type ClientHttp2Session, type ClientHttp2Stream } from "node:http2";
import type { TLSSocket } from "node:tls";
import { MAX_RESPONSE_BODY, type TransportRequest, type TransportResponse } from "../transport.ts";
import { AttemptError } from "./attempt-error.ts";
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
  readonly #socket: TLSSocket;
  #active = 0;
  #usable = true;
  readonly #waiters: Array<() => void> = [];
  readonly #onGone: () => void;

  constructor(origin: string, socket: TLSSocket, onGone: () => void) {
    this.#onGone = onGone;
    this.#socket = socket;
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

  /** Waits for a free stream slot; the wait ends early when `signal` aborts (the timeout). */
  #slot(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.#waiters.indexOf(wake);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(abortError(signal!));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(wake);
    });
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    while (this.usable && this.#active >= this.#maxStreams()) {
      req.signal?.throwIfAborted();
      await this.#slot(req.signal);
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

  /**
   * Why a stream ended before its answer. REFUSED_STREAM means the peer did not process it
   * (RFC 9113 section 8.7): the caller resends at once on another stream or session. Anything
   * else may or may not have been processed, but nothing was answered: the sender retries it
   * like an HTTP/1.1 connection failure.
   */
  #failure(stream: ClientHttp2Stream, cause?: unknown): Error {
    const code = stream.rstCode;
    if (code === http2.constants.NGHTTP2_REFUSED_STREAM) {
      return new SessionGoneError(cause ?? new Error("stream refused (REFUSED_STREAM)"));
    }
    if (this.#socket.destroyed || this.#session.destroyed || !this.#usable) {
      this.#retire();
      return new AttemptError(
        "connection-lost",
        "the HTTP/2 connection closed before the answer",
        cause === undefined ? undefined : { cause },
      );
    }
    return new AttemptError(
      "stream-reset",
      `HTTP/2 stream reset (code ${code ?? "none"}) before the answer`,
      cause === undefined ? undefined : { cause },
    );
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
      const answer = (): TransportResponse => ({
        statusCode,
        headers: responseHeaders,
        body: joinChunks(chunks, MAX_RESPONSE_BODY),
      });
      const finish = (error: unknown, response?: TransportResponse) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        if (error) reject(error);
        else resolve(response!);
      };
      // Once the status arrived the service has answered: a body cut short still carries
      // that answer (a 201 must not be sent twice). Before it, the stream failed.
      const ended = (cause?: unknown) => {
        if (statusCode !== 0) finish(undefined, answer());
        else finish(this.#failure(stream, cause));
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
      stream.on("end", () => ended());
      stream.on("error", (error) => ended(error));
      stream.on("close", () => ended());
      // The callback runs once the body is handed to the session: only the answer is left.
      stream.end(req.body, req.onSent);
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
