import { rootCertificates, connect as tlsConnect } from "node:tls";
import type { buildConnector, Dispatcher } from "undici";
import { Pool, ProxyAgent } from "undici";
import type { BlockedAddressError } from "./errors.ts";
import { AttemptError } from "./lib/attempt-error.ts";
import { HostPolicy, type LookupFunction } from "./lib/guarded-lookup.ts";
import { H2Connection, SessionGoneError } from "./lib/h2-connection.ts";
import { normalizeHeaders } from "./lib/headers.ts";
import {
  MAX_RESPONSE_BODY,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from "./transport.ts";

/**
 * Options of {@link createNodeTransport}.
 *
 * @example
 * ```ts
 * const transport = createNodeTransport({ perOriginConnections: 16, allowHosts: ["127.0.0.1"] })
 * ```
 */
export interface NodeTransportOptions {
  /**
   * Hosts exempt from the SSRF guard (names or IP literals, as in the endpoint URL), e.g.
   * `["127.0.0.1", "localhost"]` for tests or an on-premise push service. Default none.
   */
  allowHosts?: readonly string[];
  /**
   * Extra certificate authorities (PEM) to trust besides the system roots, e.g. the fake
   * push service's `ca`.
   */
  ca?: string | readonly string[];
  /** HTTP/1.1 connections kept per origin (HTTP/2 origins use one session). Default 32. */
  perOriginConnections?: number;
  /** URL of an HTTP(S) proxy to tunnel through (HTTP/1.1 via CONNECT). */
  proxy?: string;
  /** TLS connect timeout in ms. Default 10,000. */
  connectTimeout?: number;
  /**
   * Use HTTP/2 when the origin offers it over ALPN. Default true; false forces HTTP/1.1
   * (useful to compare).
   */
  http2?: boolean;
}

const ALPN = ["h2", "http/1.1"];

/** Unprocessed refusals (and new sessions) one request may go through before it fails. */
const MAX_REFUSALS = 3;

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** Waits for `promise` but gives up (without cancelling it) when `signal` aborts. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

async function readUndiciBody(body: Dispatcher.ResponseData["body"]): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = chunk as Uint8Array;
    if (size < MAX_RESPONSE_BODY) chunks.push(bytes.subarray(0, MAX_RESPONSE_BODY - size));
    size += bytes.length;
  }
  const out = new Uint8Array(Math.min(size, MAX_RESPONSE_BODY));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

async function undiciRequest(
  dispatcher: Dispatcher,
  req: TransportRequest,
  origin?: string,
): Promise<TransportResponse> {
  const response = await dispatcher.request({
    ...(origin ? { origin } : {}),
    path: req.path,
    method: "POST",
    headers: { ...req.headers },
    body: req.body,
    ...(req.signal ? { signal: req.signal } : {}),
  });
  return {
    statusCode: response.statusCode,
    headers: normalizeHeaders(response.headers),
    body: await readUndiciBody(response.body),
  };
}

/**
 * Everything about one origin: its protocol (found by ALPN on the first connection), the
 * HTTP/2 session or the HTTP/1.1 pool.
 */
class OriginClient {
  readonly #url: URL;
  readonly #o: OriginClientOptions;
  readonly #lookup: LookupFunction | undefined;
  #h2: H2Connection | undefined;
  #pool: Pool | undefined;
  #probing: Promise<void> | undefined;
  #closed = false;

  constructor(origin: string, o: OriginClientOptions) {
    this.#url = new URL(origin);
    this.#o = o;
    this.#lookup = o.policy.lookupFor(this.#url.hostname);
  }

  #host(): string {
    const h = this.#url.hostname;
    return h.startsWith("[") ? h.slice(1, -1) : h;
  }

  #tlsOptions() {
    const host = this.#host();
    return {
      ...(this.#o.ca ? { ca: this.#o.ca } : {}),
      ...(this.#lookup ? { lookup: this.#lookup } : {}),
      // SNI must not carry an IP address (RFC 6066 section 3).
      ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }),
    };
  }

  #makePool(): Pool {
    return new Pool(this.#url.origin, {
      connections: this.#o.perOriginConnections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: {
        ...this.#tlsOptions(),
        timeout: this.#o.connectTimeout,
      } as buildConnector.BuildOptions,
    });
  }

  /** Opens a TLS connection offering h2 and http/1.1 and sets up what the server picked. */
  #probe(): Promise<void> {
    const probing = new Promise<void>((resolve, reject) => {
      const socket = tlsConnect({
        host: this.#host(),
        port: Number(this.#url.port || 443),
        ALPNProtocols: this.#o.http2 ? ALPN : ["http/1.1"],
        ...this.#tlsOptions(),
      });
      const timer = setTimeout(() => {
        socket.destroy(
          new Error(
            `TLS connect to ${this.#url.origin} timed out after ${this.#o.connectTimeout} ms`,
          ),
        );
      }, this.#o.connectTimeout);
      timer.unref();
      socket.once("secureConnect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        if (this.#closed) {
          socket.destroy();
          return reject(new Error("transport closed"));
        }
        if (socket.alpnProtocol === "h2") {
          const connection: H2Connection = new H2Connection(this.#url.origin, socket, () => {
            if (this.#h2 === connection) this.#h2 = undefined;
          });
          this.#h2 = connection;
        } else {
          // undici cannot adopt a socket it did not open, so the probe connection is
          // dropped: one extra handshake per HTTP/1.1 origin, once.
          socket.destroy();
          this.#pool ??= this.#makePool();
        }
        resolve();
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    this.#probing = probing;
    const clear = () => {
      if (this.#probing === probing) this.#probing = undefined;
    };
    probing.then(clear, clear);
    return probing;
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    // A stream refused unprocessed (REFUSED_STREAM, or past a GOAWAY) is resent at once on a
    // new stream or session. Three refusals are plenty: a service that refuses everything is
    // overloaded, and the sender's retries (with backoff) take over from there. Opening a
    // session is not a refusal, but is bounded too.
    let lastError: unknown;
    let refusals = 0;
    let probes = 0;
    for (;;) {
      if (this.#closed) throw new Error("transport closed");
      if (this.#pool) return undiciRequest(this.#pool, req);
      const h2 = this.#h2;
      if (h2?.usable) {
        try {
          return await h2.request(req);
        } catch (error) {
          if (!(error instanceof SessionGoneError)) throw error;
          lastError = error;
          if (++refusals >= MAX_REFUSALS) break;
          continue;
        }
      }
      if (probes++ >= MAX_REFUSALS) break;
      await raceSignal(this.#probing ?? this.#probe(), req.signal);
    }
    throw new AttemptError(
      "refused-stream",
      refusals > 0
        ? `${this.#url.origin} refused the request unprocessed ${refusals} times in a row`
        : `${this.#url.origin} closed ${probes - 1} new connections before the request started`,
      { cause: lastError },
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([this.#h2?.close(), this.#pool?.close()]);
  }
}

type OriginClientOptions = Required<Omit<NodeTransportOptions, "proxy" | "allowHosts" | "ca">> & {
  ca: string[] | undefined;
  policy: HostPolicy;
};

/**
 * The default transport on Node: one client per push-service origin, kept alive. The first
 * TLS connection offers `h2` and `http/1.1` over ALPN; HTTP/2 origins get one `node:http2`
 * session (streams bounded by the peer's SETTINGS_MAX_CONCURRENT_STREAMS, reconnected
 * after GOAWAY or errors), HTTP/1.1 origins an undici `Pool`. With `proxy`, requests go
 * through an undici `ProxyAgent` (HTTP/1.1). `http:` endpoints use an undici pool.
 *
 * The SSRF guard sits in the `lookup` of every connecting socket, so the address judged is
 * the address used: loopback, private, link-local, unique-local and similar addresses are
 * refused with {@link BlockedAddressError} unless the host is in `allowHosts`. (Through a
 * proxy, the proxy resolves names: the guard then checks a separate lookup, best effort.)
 *
 * @example
 * ```ts
 * const transport = createNodeTransport({ ca: fake.ca, allowHosts: ["127.0.0.1"] })
 * const sender = createSender({ vapid, transport })
 * ```
 */
export function createNodeTransport(options: NodeTransportOptions = {}): Transport {
  const policy = new HostPolicy(options.allowHosts);
  const extraCa =
    options.ca === undefined ? [] : typeof options.ca === "string" ? [options.ca] : [...options.ca];
  const ca = extraCa.length > 0 ? [...rootCertificates, ...extraCa] : undefined;
  const clientOptions: OriginClientOptions = {
    perOriginConnections: options.perOriginConnections ?? 32,
    connectTimeout: options.connectTimeout ?? 10_000,
    http2: options.http2 ?? true,
    ca,
    policy,
  };
  const origins = new Map<string, OriginClient>();
  const plainPools = new Map<string, Pool>();
  const proxy = options.proxy
    ? new ProxyAgent({
        uri: options.proxy,
        ...(ca ? { requestTls: { ca } } : {}),
      })
    : undefined;
  let closed = false;

  return {
    request(req) {
      if (closed) return Promise.reject(new Error("transport closed"));
      // The usual case, an HTTPS origin already in use: its client exists only because the
      // host passed the checks in `route`, which depend on nothing but the origin, so skip
      // them, the URL parse and an async wrapper (given the normalised origin, as the
      // sender passes it).
      const known = proxy ? undefined : origins.get(req.origin);
      return known ? known.request(req) : route(req);
    },
    async close() {
      closed = true;
      await Promise.all([
        ...[...origins.values()].map((c) => c.close()),
        ...[...plainPools.values()].map((p) => p.close()),
        proxy?.close(),
      ]);
      origins.clear();
      plainPools.clear();
    },
  };

  /** Checks the origin's host and finds (or makes) the client that sends to it. */
  async function route(req: TransportRequest): Promise<TransportResponse> {
    const url = new URL(req.origin);
    const refused = policy.checkLiteral(url.hostname);
    if (refused) throw refused;
    if (proxy) {
      const checked = await policy.precheck(url.hostname);
      if (checked) throw checked;
      return undiciRequest(proxy, req, url.origin);
    }
    if (url.protocol === "http:") {
      let pool = plainPools.get(url.origin);
      if (!pool) {
        const lookup = policy.lookupFor(url.hostname);
        pool = new Pool(url.origin, {
          connections: clientOptions.perOriginConnections,
          keepAliveTimeout: 30_000,
          connect: {
            ...(lookup ? { lookup } : {}),
            timeout: clientOptions.connectTimeout,
          } as buildConnector.BuildOptions,
        });
        plainPools.set(url.origin, pool);
      }
      return undiciRequest(pool, req);
    }
    let client = origins.get(url.origin);
    if (!client) {
      client = new OriginClient(url.origin, clientOptions);
      origins.set(url.origin, client);
    }
    return client.request(req);
  }
}
