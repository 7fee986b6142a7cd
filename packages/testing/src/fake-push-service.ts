import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
  constants as h2constants,
} from "node:http2";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { Socket } from "node:net";
import {
  base64urlDecode,
  base64urlEncode,
  decrypt,
  generateSubscriptionKeys,
  MAX_PUSH_BODY,
} from "@swp/ece";
import type { PushSubscription } from "@swp/subscription";
import { type VapidClaims, verifyVapid } from "@swp/vapid";
import { TEST_CERTIFICATE, TEST_CERTIFICATE_KEY } from "./test-certificate.ts";

/**
 * A subscription as the fake service issues it: the shared `PushSubscription` of
 * `@swp/subscription` (the browser's `PushSubscription.toJSON()` shape), which
 * `@swp/sender` and every store accept.
 *
 * @example
 * ```ts
 * const subscription: IssuedSubscription = await service.subscribe()
 * ```
 */
export type IssuedSubscription = PushSubscription;

/**
 * Options of {@link startFakePushService}.
 *
 * @example
 * ```ts
 * const service = await startFakePushService({ http2: false }) // HTTP/1.1 only
 * ```
 */
export interface FakePushServiceOptions {
  /** Offer HTTP/2 over ALPN (HTTP/1.1 is always accepted). Default true. */
  http2?: boolean;
  /**
   * Check VAPID and decrypt every message (default true). `false` answers 201 to any POST
   * to a known subscription without looking inside: for benchmarks, where the service
   * must not be the bottleneck.
   */
  verify?: boolean;
  /** Keep received messages in `messages` (default true). Benchmarks turn it off. */
  record?: boolean;
  /**
   * With `verify: false`, also answer 201 to POSTs to `/push/<id>` paths it never issued
   * (default false: 404). For benchmarks that send to stored subscriptions, e.g. a million
   * rows kept between runs, which no service instance could have issued.
   */
  acceptUnknown?: boolean;
  /** Clock for VAPID expiry checks, ms since the epoch. Default Date.now. */
  now?: () => number;
  /**
   * SETTINGS_MAX_CONCURRENT_STREAMS the service advertises over HTTP/2 (RFC 9113 section
   * 6.5.2). Default 1000. With 1 and a `"stall"`, every other request must wait for a
   * stream slot: the client's timeout has to cover that wait.
   */
  maxConcurrentStreams?: number;
}

/**
 * A message the fake service accepted (decrypted when `verify` is on).
 *
 * @example
 * ```ts
 * const message = await service.nextMessage()
 * expect(JSON.parse(message.text)).toEqual({ title: "Hi" })
 * ```
 */
export interface ReceivedMessage {
  /** The endpoint it was posted to. */
  endpoint: string;
  /** The subscription as `subscribe()` returned it. */
  subscription: IssuedSubscription;
  /** The decrypted payload (the raw body when `verify` is off). */
  payload: Uint8Array;
  /** `payload` as UTF-8 text ("" when `verify` is off). */
  text: string;
  /** Request headers, names in lower case. */
  headers: Record<string, string>;
  /** The verified VAPID claims (undefined when `verify` is off). */
  claims: VapidClaims | undefined;
  /** "2.0" or "1.1": the protocol the message came over. */
  httpVersion: string;
}

/** What a scripted request sees, for function answers. */
export interface ScriptedRequest {
  endpoint: string;
  headers: Record<string, string>;
  httpVersion: string;
}

/**
 * One scripted answer: a status code (`410`), a full answer (`{ status: 429, retryAfter: 5 }`),
 * `"stall"` (never answer: the client must time out), `"reset"` (drop the connection, or the
 * stream on HTTP/2), `"destroy"` (destroy the TCP connection the request came on: every
 * request in flight on it is lost, on HTTP/2 too), `{ rstStream: code }` (HTTP/2: reset the
 * stream with that error code before answering, e.g. 0 NO_ERROR, 7 REFUSED_STREAM, 8 CANCEL;
 * HTTP/1.1: destroy the connection), `"goaway"` (HTTP/2: send GOAWAY saying this request was
 * not processed and close the session; HTTP/1.1: close the connection), `"accept"` (behave
 * normally), or a function of the request that returns one.
 *
 * @example
 * ```ts
 * service.script(sub.endpoint, 500, { status: 429, retryAfter: 1 }) // then normal again
 * service.script("*", { rstStream: 7 }) // the next request, to any endpoint: REFUSED_STREAM
 * ```
 */
export type ScriptedAnswer =
  | number
  | "stall"
  | "reset"
  | "destroy"
  | "goaway"
  | "accept"
  | {
      /** HTTP/2 error code of the RST_STREAM frame (RFC 9113 section 7). */
      rstStream: number;
    }
  | {
      status: number;
      /** Retry-After value: seconds, or an HTTP date string. */
      retryAfter?: number | string;
      body?: string;
      headers?: Record<string, string>;
    }
  | ((request: ScriptedRequest) => ScriptedAnswer | Promise<ScriptedAnswer>);

/**
 * An in-process push service on `https://127.0.0.1:<port>` for tests. See
 * {@link startFakePushService}.
 *
 * @example
 * ```ts
 * const service = await startFakePushService()
 * const subscription = await service.subscribe()
 * ```
 */
export interface FakePushService {
  /** `https://127.0.0.1:<port>`. */
  readonly origin: string;
  /** PEM of the service's self-signed certificate: `createSender({ ca })` or NODE_EXTRA_CA_CERTS. */
  readonly ca: string;
  /** Messages accepted so far, in arrival order. */
  readonly messages: ReceivedMessage[];
  /** POST requests received so far (all answers, scripted or not). */
  readonly requestCount: number;
  /**
   * Issues a subscription (the service keeps the receiver's private key and auth secret to
   * decrypt). With `applicationServerKey`, only messages signed by that VAPID key are accepted
   * (403 otherwise), like a browser subscribed with that key.
   */
  subscribe(o?: { applicationServerKey?: Uint8Array }): Promise<IssuedSubscription>;
  /** Forgets a subscription: later messages to it get 410 Gone. */
  unsubscribe(endpoint: string | IssuedSubscription): void;
  /** The next accepted message (already received ones first), or rejects after `timeout` ms (default 5,000). */
  nextMessage(o?: { timeout?: number }): Promise<ReceivedMessage>;
  /**
   * Queues answers for the next requests to one endpoint, or to any endpoint with `"*"`.
   * Each answer is used once, in order; afterwards the service behaves normally.
   */
  script(endpointOrAll: string | IssuedSubscription, ...answers: ScriptedAnswer[]): void;
  /**
   * Lets the next `requests` POST requests (to any endpoint, scripted or not) through, then
   * destroys the connection the one after arrives on, with every request in flight on it:
   * a push service's connection dropping mid-batch. Once; call again for another drop.
   */
  destroyConnectionAfter(requests: number): void;
  /** Stops the server, dropping open connections and stalled requests. */
  close(): Promise<void>;
}

interface Receiver {
  subscription: IssuedSubscription;
  uaPublic: Uint8Array;
  uaPrivate: Uint8Array;
  authSecret: Uint8Array;
  applicationServerKey: Uint8Array | undefined;
  gone: boolean;
}

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

const decoder = new TextDecoder();

function headerRecord(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":")) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** Reads `name=value` from a `;`/`,`-separated header (Encryption, Crypto-Key). */
function headerParam(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/[;,]/)) {
    const [k, v] = part.trim().split("=", 2) as [string, string | undefined];
    if (k.toLowerCase() === name && v !== undefined) return v.replace(/^"|"$/g, "");
  }
  return undefined;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

class Rejection {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {}
}

/**
 * Starts an in-process push service for tests on `https://127.0.0.1:<random port>`, speaking
 * HTTP/2 and HTTP/1.1 over TLS with a committed self-signed certificate (`ca`). It issues
 * subscriptions (holding their private keys), checks each request like a real service
 * (VAPID signature, audience = its origin, expiry within 24 h, key = the subscription's
 * `applicationServerKey`; TTL present; body at most 4096 bytes), decrypts it with
 * `@swp/ece`, answers 201 and records it. Bad requests get 400/401/403/404/410/413 with a
 * reason. `script()` makes it answer 404/410/413/429 + Retry-After/500, stall, or reset.
 *
 * @example
 * ```ts
 * import { startFakePushService } from "@swp/testing"
 * const service = await startFakePushService()
 * const subscription = await service.subscribe({ applicationServerKey: vapid.publicKey })
 * const sender = createSender({ vapid, ca: service.ca, allowHosts: ["127.0.0.1"] })
 * await sender.send(subscription, "hello")
 * expect((await service.nextMessage()).text).toBe("hello")
 * await sender.close()
 * await service.close()
 * ```
 */
export async function startFakePushService(
  options: FakePushServiceOptions = {},
): Promise<FakePushService> {
  const useHttp2 = options.http2 ?? true;
  const verify = options.verify ?? true;
  const record = options.record ?? true;
  const acceptUnknown = options.acceptUnknown === true && !verify;
  const now = options.now ?? Date.now;
  const receivers = new Map<string, Receiver>();
  const messages: ReceivedMessage[] = [];
  const waiters: Array<(m: ReceivedMessage) => void> = [];
  const scripts = new Map<string, ScriptedAnswer[]>();
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  const stalled = new Set<Response>();
  let requestCount = 0;
  /** Requests still let through before the scripted connection drop; undefined: none set. */
  let destroyCountdown: number | undefined;
  let nextRead = 0;
  let origin = "";

  /** Stands for a subscription it did not issue (acceptUnknown): never decrypted. */
  const unknownReceiver = (endpoint: string): Receiver => ({
    subscription: { endpoint, keys: { p256dh: "", auth: "" } },
    uaPublic: new Uint8Array(0),
    uaPrivate: new Uint8Array(0),
    authSecret: new Uint8Array(0),
    applicationServerKey: undefined,
    gone: false,
  });

  const idFromPath = (path: string): string | undefined =>
    /^\/push\/([A-Za-z0-9_-]+)$/.exec(path)?.[1];

  const takeScript = (endpoint: string): ScriptedAnswer | undefined => {
    for (const key of [endpoint, "*"]) {
      const queue = scripts.get(key);
      if (queue && queue.length > 0) {
        const answer = queue.shift()!;
        if (queue.length === 0) scripts.delete(key);
        return answer;
      }
    }
    return undefined;
  };

  const send = (res: Response, status: number, body = "", headers: Record<string, string> = {}) => {
    if (res.headersSent || res.writableEnded) return;
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
    res.end(body);
  };

  const reset = (req: Request) => {
    if ("stream" in req && req.stream) req.stream.close(h2constants.NGHTTP2_INTERNAL_ERROR);
    else req.socket.destroy();
  };

  /** TLS sockets by the client's port: HTTP/2 requests only expose a guarded proxy of theirs. */
  const tlsSockets = new Map<number, Socket>();
  /** Connections being dropped: nothing more is answered or recorded on them. */
  const doomed = new WeakSet<Socket>();
  const tlsSocketOf = (req: Request): Socket | undefined => {
    const port = req.socket?.remotePort;
    return port === undefined ? undefined : tlsSockets.get(port);
  };
  const destroyConnection = (req: Request) => {
    const socket = tlsSocketOf(req);
    if (socket) {
      // Answers already given still reach the client (like bytes a real service had put on
      // the wire before its connection dropped); nothing after them does.
      doomed.add(socket);
      setTimeout(() => socket.destroy(), 10);
    } else if ("stream" in req && req.stream) req.stream.session?.destroy();
    else req.socket.destroy();
  };

  /** True when the answer can no longer reach the client (its connection or stream died). */
  const unreachable = (req: Request): boolean => {
    const socket = tlsSocketOf(req);
    if (socket && doomed.has(socket)) return true;
    return "stream" in req && req.stream ? req.stream.destroyed : req.socket.destroyed;
  };

  /** Checks and decrypts a message like a real push service; throws Rejection. */
  const accept = async (
    receiver: Receiver,
    headers: Record<string, string>,
    body: Uint8Array,
  ): Promise<{ payload: Uint8Array; claims: VapidClaims | undefined }> => {
    if (!verify) return { payload: body, claims: undefined };
    const authorization = headers.authorization;
    if (!authorization) throw new Rejection(401, "missing Authorization (VAPID, RFC 8292)");
    let claims: VapidClaims;
    let publicKey: Uint8Array;
    try {
      const verified = await verifyVapid(authorization, {
        audience: origin,
        now,
        ...(headers["crypto-key"] ? { cryptoKey: headers["crypto-key"] } : {}),
      });
      claims = verified.claims;
      publicKey = verified.publicKey;
    } catch (error) {
      throw new Rejection(401, `VAPID verification failed: ${(error as Error).message}`);
    }
    if (receiver.applicationServerKey && !equalBytes(publicKey, receiver.applicationServerKey)) {
      throw new Rejection(403, "VAPID key does not match the subscription's applicationServerKey");
    }
    const ttl = headers.ttl;
    if (ttl === undefined || !/^\d+$/.test(ttl))
      throw new Rejection(400, "missing or invalid TTL header (RFC 8030 section 5.2)");
    const urgency = headers.urgency;
    if (urgency !== undefined && !["very-low", "low", "normal", "high"].includes(urgency)) {
      throw new Rejection(400, `invalid Urgency ${urgency}`);
    }
    const topic = headers.topic;
    if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic))
      throw new Rejection(400, "invalid Topic");
    const encoding = headers["content-encoding"];
    if (encoding !== "aes128gcm" && encoding !== "aesgcm") {
      throw new Rejection(400, `unsupported Content-Encoding ${encoding ?? "(none)"}`);
    }
    try {
      const keys = {
        uaPrivate: receiver.uaPrivate,
        uaPublic: receiver.uaPublic,
        authSecret: receiver.authSecret,
      };
      if (encoding === "aesgcm") {
        const salt = headerParam(headers.encryption, "salt");
        const dh = headerParam(headers["crypto-key"], "dh");
        if (!salt || !dh)
          throw new Rejection(400, "aesgcm needs Encryption: salt= and Crypto-Key: dh=");
        const payload = await decrypt(body, {
          ...keys,
          encoding,
          salt: base64urlDecode(salt),
          asPublic: base64urlDecode(dh),
        });
        return { payload, claims };
      }
      return { payload: await decrypt(body, { ...keys, encoding }), claims };
    } catch (error) {
      if (error instanceof Rejection) throw error;
      throw new Rejection(400, `cannot decrypt the message: ${(error as Error).message}`);
    }
  };

  const answer = async (
    req: Request,
    res: Response,
    scripted: ScriptedAnswer,
    request: ScriptedRequest,
  ): Promise<boolean> => {
    if (typeof scripted === "function") return answer(req, res, await scripted(request), request);
    if (scripted === "accept") return false;
    if (scripted === "stall") {
      stalled.add(res);
      res.on("close", () => stalled.delete(res));
      return true;
    }
    if (scripted === "reset") {
      reset(req);
      return true;
    }
    if (scripted === "destroy") {
      destroyConnection(req);
      return true;
    }
    if (typeof scripted === "object" && "rstStream" in scripted) {
      if ("stream" in req && req.stream) req.stream.close(scripted.rstStream);
      else destroyConnection(req);
      return true;
    }
    if (scripted === "goaway") {
      if ("stream" in req && req.stream) {
        const { session } = req.stream;
        // Last processed stream: the one before this (client streams are odd, step 2).
        session?.goaway(h2constants.NGHTTP2_NO_ERROR, Math.max(0, (req.stream.id ?? 1) - 2));
        session?.close();
      } else {
        req.socket.destroy();
      }
      return true;
    }
    const spec = typeof scripted === "number" ? { status: scripted } : scripted;
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.retryAfter !== undefined) headers["retry-after"] = String(spec.retryAfter);
    send(res, spec.status, spec.body ?? `scripted ${spec.status}`, headers);
    return true;
  };

  let accepted = 0;
  /**
   * The benchmark path (verify and record off, nothing scripted): the same answers with
   * none of the per-request work that only matters to tests (header copies, the body kept,
   * a random message id), so the service costs the sender's benchmark as little as it can.
   */
  const handleQuickly = async (req: Request, res: Response) => {
    requestCount++;
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) size += chunk.length;
    const path = (req.url ?? "").split("?")[0] ?? "";
    const id = idFromPath(path);
    const receiver = id ? receivers.get(id) : undefined;
    if (!id || (!receiver && !acceptUnknown)) return send(res, 404, "no such subscription");
    if (receiver?.gone) return send(res, 410, "subscription expired or unsubscribed");
    if (size > MAX_PUSH_BODY)
      return send(res, 413, `body is ${size} bytes; at most ${MAX_PUSH_BODY}`);
    res.writeHead(201, { location: `${origin}/message/${(accepted++).toString(36)}` });
    res.end();
  };

  const handle = async (req: Request, res: Response) => {
    if (
      !verify &&
      !record &&
      scripts.size === 0 &&
      destroyCountdown === undefined &&
      req.method === "POST"
    ) {
      return handleQuickly(req, res);
    }
    const path = (req.url ?? "").split("?")[0] ?? "";
    const endpoint = origin + path;
    const headers = headerRecord(req);
    const httpVersion = req.httpVersion;
    if (req.method !== "POST")
      return send(res, 405, "push messages are POSTed (RFC 8030 section 5)");
    requestCount++;

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_PUSH_BODY) chunks.push(chunk);
    }
    const body = new Uint8Array(Buffer.concat(chunks));

    if (unreachable(req)) return; // its connection is being dropped: no answer
    if (destroyCountdown !== undefined) {
      if (destroyCountdown === 0) {
        destroyCountdown = undefined;
        destroyConnection(req);
        return;
      }
      destroyCountdown--;
    }

    const scripted = takeScript(endpoint);
    if (
      scripted !== undefined &&
      (await answer(req, res, scripted, { endpoint, headers, httpVersion }))
    )
      return;

    const id = idFromPath(path);
    const receiver = id
      ? (receivers.get(id) ?? (acceptUnknown ? unknownReceiver(endpoint) : undefined))
      : undefined;
    if (!receiver) return send(res, 404, "no such subscription");
    if (receiver.gone) return send(res, 410, "subscription expired or unsubscribed");
    if (size > MAX_PUSH_BODY)
      return send(res, 413, `body is ${size} bytes; at most ${MAX_PUSH_BODY}`);
    try {
      const { payload, claims } = await accept(receiver, headers, body);
      const message: ReceivedMessage = {
        endpoint,
        subscription: receiver.subscription,
        payload,
        text: verify ? decoder.decode(payload) : "",
        headers,
        claims,
        httpVersion,
      };
      // A message whose connection died while it was checked is not kept: the client saw
      // no answer and sends it again, as it would to a real service that did not commit it.
      if (unreachable(req)) return;
      if (record) messages.push(message);
      const waiter = waiters.shift();
      if (waiter) {
        nextRead++;
        waiter(message);
      }
      send(res, 201, "", { location: `${origin}/message/${base64urlEncode(randomBytes(12))}` });
    } catch (error) {
      if (error instanceof Rejection) return send(res, error.status, error.reason);
      send(res, 500, "internal error in the fake push service");
    }
  };

  const onRequest = (req: Request, res: Response) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, "internal error in the fake push service");
    });
  };

  const tls = { key: TEST_CERTIFICATE_KEY, cert: TEST_CERTIFICATE };
  const server: Http2SecureServer | HttpsServer = useHttp2
    ? createSecureServer(
        {
          ...tls,
          allowHTTP1: true,
          settings: { maxConcurrentStreams: options.maxConcurrentStreams ?? 1000 },
        },
        onRequest,
      )
    : createHttpsServer({ ...tls, keepAlive: true }, onRequest);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("secureConnection", (socket: Socket) => {
    const port = socket.remotePort;
    if (port === undefined) return;
    tlsSockets.set(port, socket);
    socket.on("close", () => {
      if (tlsSockets.get(port) === socket) tlsSockets.delete(port);
    });
  });
  if (useHttp2) {
    (server as Http2SecureServer).on("session", (session: Http2Session) => {
      sessions.add(session);
      session.on("close", () => sessions.delete(session));
    });
  }
  // A client resetting its stream or socket is normal traffic here.
  server.on("tlsClientError", () => {});
  server.on("sessionError", () => {});

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new Error("fake push service has no TCP address");
  origin = `https://127.0.0.1:${address.port}`;

  return {
    origin,
    ca: TEST_CERTIFICATE,
    messages,
    get requestCount() {
      return requestCount;
    },
    async subscribe(o = {}) {
      const keys = await generateSubscriptionKeys();
      const id = base64urlEncode(randomBytes(16));
      const subscription: IssuedSubscription = {
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: base64urlEncode(keys.uaPublic), auth: base64urlEncode(keys.authSecret) },
        expirationTime: null,
      };
      receivers.set(id, {
        subscription,
        ...keys,
        applicationServerKey: o.applicationServerKey
          ? new Uint8Array(o.applicationServerKey)
          : undefined,
        gone: false,
      });
      return subscription;
    },
    unsubscribe(endpointOrSubscription) {
      const endpoint =
        typeof endpointOrSubscription === "string"
          ? endpointOrSubscription
          : endpointOrSubscription.endpoint;
      const id = idFromPath(endpoint.slice(origin.length));
      const receiver = id ? receivers.get(id) : undefined;
      if (receiver) receiver.gone = true;
    },
    nextMessage({ timeout = 5000 } = {}) {
      const ready = messages[nextRead];
      if (ready) {
        nextRead++;
        return Promise.resolve(ready);
      }
      return new Promise<ReceivedMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(deliver);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`no push message arrived within ${timeout} ms`));
        }, timeout);
        const deliver = (m: ReceivedMessage) => {
          clearTimeout(timer);
          resolve(m);
        };
        waiters.push(deliver);
      });
    },
    script(endpointOrAll, ...answers) {
      const key = typeof endpointOrAll === "string" ? endpointOrAll : endpointOrAll.endpoint;
      const queue = scripts.get(key) ?? [];
      queue.push(...answers);
      scripts.set(key, queue);
    },
    destroyConnectionAfter(requests) {
      if (!Number.isSafeInteger(requests) || requests < 0) {
        throw new RangeError(`requests must be a whole number ≥ 0, got ${String(requests)}`);
      }
      destroyCountdown = requests;
    },
    async close() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const res of stalled) res.destroy?.();
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      await closing;
    },
  };
}
