/**
 * One HTTP request to a push service, as the sender hands it to a {@link Transport}.
 *
 * @example
 * ```ts
 * const request: TransportRequest = {
 *   origin: "https://fcm.googleapis.com",
 *   path: "/fcm/send/abc",
 *   headers: { TTL: "60", "Content-Encoding": "aes128gcm" },
 *   body,
 * }
 * ```
 */
export interface TransportRequest {
  /** `https://host[:port]` of the endpoint. */
  origin: string;
  /** Path and query of the endpoint. */
  path: string;
  /** Always POST for RFC 8030 section 5. */
  method?: "POST";
  /** Request headers (the transport adds Content-Length). */
  headers: Readonly<Record<string, string>>;
  body: Uint8Array;
  /** Aborts the request (timeout or the caller's signal). */
  signal?: AbortSignal;
  /**
   * Called once the request (headers and body) is on the wire and only its answer is
   * awaited. The sender then gives back the request's global slot and keeps only its
   * origin's, so a push service that never answers holds no more than its own share.
   * Transports that cannot tell may never call it: the slot is then held until the answer.
   */
  onSent?: () => void;
}

/**
 * The push service's answer.
 *
 * @example
 * ```ts
 * const response: TransportResponse = { statusCode: 201, headers: { location: "…" }, body: new Uint8Array() }
 * ```
 */
export interface TransportResponse {
  statusCode: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The response body (transports may truncate long bodies; only a reason is read from it). */
  body: Uint8Array;
}

/**
 * How the sender talks HTTP. The default on Node is {@link createNodeTransport} (pooled
 * HTTP/1.1 via undici, HTTP/2 via `node:http2`, chosen per origin by ALPN); on other
 * runtimes pass {@link createFetchTransport}. A transport throws for network failures and
 * resolves for every HTTP answer, whatever its status. It may throw `BlockedAddressError`
 * to refuse an address.
 *
 * @example
 * ```ts
 * const sender = createSender({ vapid, transport: createFetchTransport(fetch) })
 * ```
 */
export interface Transport {
  request(request: TransportRequest): Promise<TransportResponse>;
  /** Closes pooled connections. */
  close?(): Promise<void>;
}

/** Largest response body a transport keeps; push services answer with short texts. */
export const MAX_RESPONSE_BODY = 64 * 1024;
