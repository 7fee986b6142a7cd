// Part of the fetch-only entry (fetch-entry.ts): no node:* import here or below.
import { arrayBufferBytes } from "./lib/array-buffer-bytes.ts";
import { MAX_RESPONSE_BODY, type Transport } from "./transport.ts";

/**
 * The part of the WHATWG `fetch` signature the transport uses. The body is typed
 * `Uint8Array<ArrayBuffer>` so that the global `fetch` of TypeScript 5.9's DOM types (whose
 * `BodyInit` refuses views that may be shared) is assignable to it.
 */
export type FetchFunction = (
  input: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body: Uint8Array<ArrayBuffer>;
    signal?: AbortSignal;
  },
) => Promise<{
  status: number;
  headers: { forEach(callback: (value: string, key: string) => void): void };
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/**
 * A {@link Transport} over a WHATWG `fetch` (Deno, Bun, Cloudflare Workers, browsers, or
 * Node's global fetch). Connection pooling, HTTP/2 and address checks are then the
 * runtime's business: this transport has no SSRF guard on resolved addresses (the sender
 * still refuses private IP-literal hosts).
 *
 * @example
 * ```ts
 * import { createFetchTransport, createSender } from "@swp/sender"
 * const sender = createSender({ vapid, transport: createFetchTransport(fetch) })
 * ```
 */
export function createFetchTransport(fetchFunction: FetchFunction): Transport {
  return {
    async request({ origin, path, headers, body, signal }) {
      const response = await fetchFunction(origin + path, {
        method: "POST",
        headers: { ...headers },
        body: arrayBufferBytes(body),
        ...(signal ? { signal } : {}),
      });
      const out: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        out[key.toLowerCase()] = value;
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      return {
        statusCode: response.status,
        headers: out,
        body: bytes.length > MAX_RESPONSE_BODY ? bytes.subarray(0, MAX_RESPONSE_BODY) : bytes,
      };
    },
  };
}
