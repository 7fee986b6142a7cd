/**
 * A local push server for a real Firefox: it speaks Mozilla's push WebSocket protocol to
 * the browser (what `dom.push.serverURL` points at) and accepts RFC 8030 push requests on
 * HTTPS, verifies their VAPID (RFC 8292) and forwards them to Firefox, which decrypts them
 * itself (RFC 8291) and fires the service worker's `push` event. Everything stays on
 * 127.0.0.1, so a browser test of a push-sending app runs offline.
 *
 * @module
 */

import { randomBytes, randomUUID } from "node:crypto";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import { base64urlDecode, base64urlEncode } from "@swp/ece";
import { verifyVapid } from "@swp/vapid";
import { type WebSocket, WebSocketServer } from "ws";
import { TEST_CERTIFICATE, TEST_CERTIFICATE_KEY } from "../test-certificate.ts";
import {
  type AckOutcome,
  EventLog,
  type FirefoxPushEvent,
  type FirefoxPushEventType,
  type HelloEvent,
  type PushEvent,
  type WaitForOptions,
} from "./events.ts";
import {
  ACK_CODES,
  type ClientMessage,
  type NotificationHeaders,
  type NotificationMessage,
  parseClientMessage,
} from "./protocol.ts";

/** Largest push message body a push service must accept (RFC 8030 section 7.2, RFC 8291 section 4). */
const MAX_BODY = 4096;

/** Options of {@link startFirefoxPushServer}. */
export interface FirefoxPushServerOptions {
  /**
   * Clock for VAPID expiry checks, in milliseconds since the epoch (default `Date.now`).
   */
  now?: () => number;
  /**
   * TLS certificate (PEM) of the HTTPS endpoint. Default: the testing kit's self-signed
   * `TEST_CERTIFICATE` for 127.0.0.1 and localhost (the fake push service's too, so one
   * trusted CA covers both), returned as `server.ca`.
   */
  cert?: string;
  /** Private key (PEM) for `cert`; required when `cert` is given. */
  key?: string;
}

/** A running Firefox push server, from {@link startFirefoxPushServer}. */
export interface FirefoxPushServer {
  /** `ws://127.0.0.1:<port>`: the value for Firefox's `dom.push.serverURL`. */
  readonly wsUrl: string;
  /** `https://127.0.0.1:<port>`: origin of every push endpoint it hands out. */
  readonly origin: string;
  /** PEM of the HTTPS certificate: give it to the sender as `ca` or via `NODE_EXTRA_CA_CERTS`. */
  readonly ca: string;
  /** Everything that happened so far, in order (live array). */
  readonly events: readonly FirefoxPushEvent[];
  /** True while at least one Firefox is connected and has said hello. */
  readonly connected: boolean;
  /**
   * Resolves with Firefox's first `hello`. Wait for it before calling `subscribe()` in the
   * page: a subscribe sent before Firefox has connected can hang.
   */
  waitForHello(o?: { timeout?: number }): Promise<HelloEvent>;
  /**
   * Resolves with the first recorded event of `type` (that satisfies `match`), including
   * events that happened before the call.
   */
  waitFor<T extends FirefoxPushEventType>(
    type: T,
    o?: WaitForOptions<Extract<FirefoxPushEvent, { type: T }>>,
  ): Promise<Extract<FirefoxPushEvent, { type: T }>>;
  /** Stops both listeners and drops every connection. */
  close(): Promise<void>;
}

interface Channel {
  uaid: string;
  channelID: string;
  endpoint: string;
  applicationServerKey: Uint8Array | undefined;
  gone: boolean;
}

/** A refusal of a push request: the status and the reason the sender reads. */
class Refusal {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
  ) {}
}

/**
 * Starts a push server for Firefox on 127.0.0.1: a WebSocket listener for the browser
 * (Mozilla's push protocol: `hello`, `register` → `pushEndpoint`, `unregister`,
 * `notification`, `ack`, ping) and an HTTPS listener (HTTP/2 and HTTP/1.1) for RFC 8030
 * push requests on those endpoints.
 *
 * A push request must carry `TTL`, a body of at most 4096 bytes in `aes128gcm` or
 * `aesgcm`, and valid VAPID (RFC 8292) whose key is the subscription's
 * applicationServerKey — Firefox itself never checks VAPID, so this server does, as
 * Mozilla's does. Accepted messages are answered `201` and forwarded to the connected
 * Firefox (or queued until it reconnects); refusals are `400`/`401`/`403`/`404`/`410`/`413`.
 * Firefox's acks show up as `ack` events: `outcome: "delivered"` (code 100) or
 * `"decryption-failed"` (101).
 *
 * @example
 * ```ts
 * const pushServer = await startFirefoxPushServer();
 * const browser = await puppeteer.launch({
 *   browser: "firefox",
 *   executablePath: "/usr/bin/firefox-esr",
 *   extraPrefsFirefox: firefoxPushPrefs(pushServer),
 * });
 * await pushServer.waitForHello();
 * // … the page subscribes; the app sends with createSender({ ca: pushServer.ca, allowHosts: ["127.0.0.1"] })
 * const ack = await pushServer.waitFor("ack");
 * expect(ack.outcome).toBe("delivered");
 * ```
 */
export async function startFirefoxPushServer(
  o: FirefoxPushServerOptions = {},
): Promise<FirefoxPushServer> {
  if ((o.cert === undefined) !== (o.key === undefined)) {
    throw new TypeError("startFirefoxPushServer: give both cert and key, or neither");
  }
  const now = o.now ?? Date.now;
  const cert = o.cert ?? TEST_CERTIFICATE;
  const key = o.key ?? TEST_CERTIFICATE_KEY;
  const log = new EventLog();
  const channels = new Map<string, Channel>(); // by endpoint token
  const channelTokens = new Map<string, string>(); // channelID → token
  const sockets = new Map<string, WebSocket>(); // uaid → the live connection
  const queued = new Map<string, NotificationMessage[]>(); // uaid → waiting messages
  const rawSockets = new Set<Socket>();

  const wsHttp: HttpServer = createHttpServer((_req, res) => {
    res.writeHead(426, { Upgrade: "websocket" }).end("WebSocket only\n");
  });
  const wss = new WebSocketServer({ server: wsHttp });
  const https: Http2SecureServer = createSecureServer({ cert, key, allowHTTP1: true });
  for (const server of [wsHttp, https]) {
    server.on("connection", (socket: Socket) => {
      rawSockets.add(socket);
      socket.on("close", () => rawSockets.delete(socket));
    });
  }

  const wsPort = await listen(wsHttp);
  const httpsPort = await listen(https);
  const origin = `https://127.0.0.1:${httpsPort}`;

  function send(socket: WebSocket, message: object): void {
    socket.send(JSON.stringify(message));
  }

  wss.on("connection", (socket) => {
    let uaid: string | undefined;
    socket.on("message", (data, isBinary) => {
      if (isBinary) return;
      const message = parseClientMessage(data.toString());
      if (message === "ping") {
        send(socket, {});
        return;
      }
      if (message === undefined) return;
      if (message.messageType === "hello") {
        uaid = onHello(socket, message);
        return;
      }
      // Everything else needs the handshake first, as autopush requires.
      if (uaid === undefined) return;
      onMessage(socket, uaid, message);
    });
    socket.on("close", () => {
      if (uaid !== undefined && sockets.get(uaid) === socket) sockets.delete(uaid);
    });
    socket.on("error", () => {
      // A browser that goes away mid-frame is not a server error.
    });
  });

  function onHello(socket: WebSocket, message: ClientMessage & { messageType: "hello" }): string {
    // Firefox sends its uaid only when it has subscriptions; keep it so they stay valid.
    const offered = message.uaid;
    const resumed = typeof offered === "string" && offered.length > 0 && offered.length <= 128;
    const uaid = resumed ? offered : randomUUID().replaceAll("-", "");
    const previous = sockets.get(uaid);
    if (previous !== undefined && previous !== socket) previous.close(1000, "replaced");
    sockets.set(uaid, socket);
    send(socket, {
      messageType: "hello",
      uaid,
      status: 200,
      use_webpush: true,
      broadcasts: {},
    });
    log.record({ type: "hello", at: now(), uaid, resumed });
    const waiting = queued.get(uaid);
    if (waiting !== undefined) {
      queued.delete(uaid);
      for (const notification of waiting) send(socket, notification);
    }
    return uaid;
  }

  function onMessage(socket: WebSocket, uaid: string, message: ClientMessage): void {
    switch (message.messageType) {
      case "register": {
        let applicationServerKey: Uint8Array | undefined;
        if (typeof message.key === "string" && message.key !== "") {
          try {
            // Firefox pads this one base64url value; the decoder takes it unpadded.
            applicationServerKey = base64urlDecode(message.key.replace(/=+$/, ""));
          } catch {
            send(socket, { messageType: "register", channelID: message.channelID, status: 400 });
            return;
          }
        }
        const token = base64urlEncode(randomBytes(24));
        const endpoint = `${origin}/wpush/v2/${token}`;
        channels.set(token, {
          uaid,
          channelID: message.channelID,
          endpoint,
          applicationServerKey,
          gone: false,
        });
        channelTokens.set(message.channelID.toLowerCase(), token);
        send(socket, {
          messageType: "register",
          channelID: message.channelID,
          status: 200,
          pushEndpoint: endpoint,
        });
        log.record({
          type: "register",
          at: now(),
          uaid,
          channelID: message.channelID,
          endpoint,
          applicationServerKey,
        });
        return;
      }
      case "unregister": {
        const token = channelTokens.get(message.channelID.toLowerCase());
        const channel = token === undefined ? undefined : channels.get(token);
        if (channel !== undefined) channel.gone = true;
        send(socket, { messageType: "unregister", channelID: message.channelID, status: 200 });
        log.record({
          type: "unregister",
          at: now(),
          uaid,
          channelID: message.channelID,
          code: typeof message.code === "number" ? message.code : undefined,
        });
        return;
      }
      case "ack":
        for (const update of message.updates) {
          if (typeof update?.channelID !== "string") continue;
          log.record({
            type: "ack",
            at: now(),
            channelID: update.channelID,
            version: String(update.version),
            code: typeof update.code === "number" ? update.code : undefined,
            outcome: ackOutcome(update.code),
          });
        }
        return;
      case "nack":
        log.record({
          type: "nack",
          at: now(),
          version: message.version,
          code: typeof message.code === "number" ? message.code : undefined,
        });
        return;
      default:
        return;
    }
  }

  https.on("request", (req: Http2ServerRequest, res: Http2ServerResponse) => {
    const endpoint = `${origin}${req.url}`;
    onPushRequest(req, endpoint).then(
      (event) => {
        log.record(event);
        res.writeHead(201, {
          Location: `${origin}/m/${event.version}`,
          TTL: String(event.ttl),
        });
        res.end();
      },
      (error: unknown) => {
        const refusal =
          error instanceof Refusal ? error : new Refusal(500, `internal error: ${String(error)}`);
        log.record({
          type: "rejected",
          at: now(),
          endpoint,
          statusCode: refusal.statusCode,
          reason: refusal.reason,
        });
        if (!res.headersSent) {
          res.writeHead(refusal.statusCode, { "Content-Type": "application/json" });
        }
        res.end(JSON.stringify({ code: refusal.statusCode, error: refusal.reason }));
      },
    );
  });

  async function onPushRequest(req: Http2ServerRequest, endpoint: string): Promise<PushEvent> {
    const match = /^\/wpush\/v2\/([A-Za-z0-9_-]+)$/.exec(req.url);
    const channel = match?.[1] === undefined ? undefined : channels.get(match[1]);
    if (req.method !== "POST") {
      await drain(req);
      throw new Refusal(405, `${req.method} is not allowed; push with POST (RFC 8030 section 5)`);
    }
    if (channel === undefined) {
      await drain(req);
      throw new Refusal(404, "no such subscription");
    }
    if (channel.gone) {
      await drain(req);
      throw new Refusal(410, "the subscription was unregistered by the browser");
    }
    const body = await readBody(req, MAX_BODY);
    const ttl = parseTtl(header(req, "ttl"));
    const claims = await checkVapid(req, channel);
    const encoding = body.length === 0 ? undefined : header(req, "content-encoding");
    const headers = encoding === undefined ? undefined : notificationHeaders(req, encoding);
    const version = randomUUID();
    const notification: NotificationMessage = {
      messageType: "notification",
      channelID: channel.channelID,
      version,
      ...(headers === undefined ? {} : { data: base64urlEncode(body), headers }),
    };
    const socket = sockets.get(channel.uaid);
    let delivery: PushEvent["delivery"];
    if (socket !== undefined && socket.readyState === socket.OPEN) {
      send(socket, notification);
      delivery = "sent";
    } else if (ttl > 0) {
      const waiting = queued.get(channel.uaid) ?? [];
      waiting.push(notification);
      queued.set(channel.uaid, waiting);
      delivery = "queued";
    } else {
      delivery = "dropped"; // TTL 0: deliver now or never (RFC 8030 section 5.2)
    }
    return {
      type: "push",
      at: now(),
      channelID: channel.channelID,
      version,
      endpoint,
      encoding,
      bodySize: body.length,
      ttl,
      claims,
      delivery,
    };
  }

  async function checkVapid(
    req: Http2ServerRequest,
    channel: Channel,
  ): Promise<PushEvent["claims"]> {
    const authorization = header(req, "authorization");
    if (authorization === undefined) {
      if (channel.applicationServerKey === undefined) return undefined;
      throw new Refusal(401, "missing Authorization: this subscription requires VAPID (RFC 8292)");
    }
    let verified: Awaited<ReturnType<typeof verifyVapid>>;
    try {
      const cryptoKey = header(req, "crypto-key");
      verified = await verifyVapid(authorization, {
        audience: origin,
        now,
        ...(cryptoKey === undefined ? {} : { cryptoKey }),
      });
    } catch (error) {
      throw new Refusal(401, `invalid VAPID: ${error instanceof Error ? error.message : error}`);
    }
    const expected = channel.applicationServerKey;
    if (expected !== undefined && !sameBytes(expected, verified.publicKey)) {
      throw new Refusal(
        403,
        "the VAPID key is not the applicationServerKey this subscription was created with",
      );
    }
    return verified.claims;
  }

  return {
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    origin,
    ca: cert,
    events: log.events,
    get connected() {
      return sockets.size > 0;
    },
    waitForHello: (w = {}) => log.waitFor("hello", w),
    waitFor: (type, w) => log.waitFor(type, w),
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const socket of rawSockets) socket.destroy();
      await Promise.all([closeServer(wsHttp), closeServer(https)]);
    },
  };
}

function ackOutcome(code: unknown): AckOutcome {
  switch (code) {
    case ACK_CODES.delivered:
      return "delivered";
    case ACK_CODES.decryptionFailed:
      return "decryption-failed";
    case ACK_CODES.notDelivered:
      return "not-delivered";
    default:
      return "unknown";
  }
}

function header(req: Http2ServerRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** RFC 8030 section 5.2: TTL is required, a non-negative number of seconds. */
function parseTtl(value: string | undefined): number {
  if (value === undefined) throw new Refusal(400, "missing TTL header (RFC 8030 section 5.2)");
  if (!/^\d{1,10}$/.test(value.trim())) {
    throw new Refusal(400, `TTL must be a non-negative integer number of seconds, got "${value}"`);
  }
  return Number(value.trim());
}

/**
 * The headers Firefox needs to decrypt: only the encoding for aes128gcm (everything is in
 * the body, RFC 8188 section 2.1); `encryption` (salt) and the `dh` key for legacy aesgcm.
 */
function notificationHeaders(req: Http2ServerRequest, encoding: string): NotificationHeaders {
  if (encoding === "aes128gcm") return { encoding };
  if (encoding !== "aesgcm") {
    throw new Refusal(
      400,
      `unsupported Content-Encoding "${encoding}"; expected aes128gcm (RFC 8291) or aesgcm`,
    );
  }
  const encryption = header(req, "encryption");
  if (encryption === undefined || !/(^|[;,\s])salt=/.test(encryption)) {
    throw new Refusal(400, "aesgcm needs an Encryption header with salt=");
  }
  // Crypto-Key may also carry p256ecdsa= (VAPID); Firefox wants only the dh= parameter.
  const dh = (header(req, "crypto-key") ?? "")
    .split(/[;,]/)
    .map((part) => part.trim())
    .find((part) => part.startsWith("dh="));
  if (dh === undefined) throw new Refusal(400, "aesgcm needs a Crypto-Key header with dh=");
  return { encoding, encryption, crypto_key: dh };
}

async function readBody(req: Http2ServerRequest, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) {
    throw new Refusal(413, `body is ${size} bytes; a push message holds at most ${limit}`);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

async function drain(req: Http2ServerRequest): Promise<void> {
  for await (const _ of req as AsyncIterable<Uint8Array>) {
    // Discard: the request is refused, but the client gets its answer only after sending.
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function listen(server: HttpServer | Http2SecureServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: HttpServer | Http2SecureServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
