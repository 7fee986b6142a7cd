import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { base64urlDecode, base64urlEncode, decrypt, generateSubscriptionKeys } from "@swp/ece";
import { generateVapidKeys, vapidKeysToBase64Url, verifyVapid } from "@swp/vapid";
import type { GuestInput } from "../guest/protocol.ts";

/** One push message as the receiver saw it: decrypted, with its VAPID claims verified. */
export interface ReceivedPush {
  variant: string;
  headers: Record<string, string | string[] | undefined>;
  plaintext?: string;
  vapidSubject?: string;
  vapidKey?: string;
  error?: string;
}

/** The push receiver on 127.0.0.1 and the keys of this run. */
export interface Receiver {
  url: string;
  /** The input for one variant (its own endpoint path). */
  inputFor(variant: string): GuestInput;
  /** Pushes received, by variant. */
  received: Map<string, ReceivedPush>;
  keys: Awaited<ReturnType<typeof generateSubscriptionKeys>>;
  vapidPublicKey: string;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of request) chunks.push(chunk as Uint8Array);
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * A tiny push service on 127.0.0.1: `GET /input?variant=` hands a guest its input, `POST
 * /push/<variant>` decrypts the body with the subscription's private key (RFC 8291) and
 * verifies the VAPID header (RFC 8292) before answering 201, or 400 with the reason.
 */
export async function startReceiver(): Promise<Receiver> {
  const keys = await generateSubscriptionKeys();
  const vapidKeys = await vapidKeysToBase64Url(await generateVapidKeys());
  const received = new Map<string, ReceivedPush>();
  let url = "";

  const inputFor = (variant: string): GuestInput => ({
    variant,
    receiver: {
      uaPublic: base64urlEncode(keys.uaPublic),
      authSecret: base64urlEncode(keys.authSecret),
    },
    vapidKeys,
    subscription: {
      endpoint: `${url}/push/${encodeURIComponent(variant)}`,
      keys: { p256dh: base64urlEncode(keys.uaPublic), auth: base64urlEncode(keys.authSecret) },
    },
    senderSubscription: {
      endpoint: `${url}/push/${encodeURIComponent(`${variant} / createSender`)}`,
      keys: { p256dh: base64urlEncode(keys.uaPublic), auth: base64urlEncode(keys.authSecret) },
    },
    fetchSenderSubscription: {
      endpoint: `${url}/push/${encodeURIComponent(`${variant} / createSender over fetch`)}`,
      keys: { p256dh: base64urlEncode(keys.uaPublic), auth: base64urlEncode(keys.authSecret) },
    },
    plaintext: `fresh message for ${variant}: ${"·".repeat(100)}`,
  });

  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", url);
    if (request.method === "GET" && path.pathname === "/input") {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify(inputFor(path.searchParams.get("variant") ?? "unknown")));
      return;
    }
    if (request.method === "POST" && path.pathname.startsWith("/push/")) {
      const variant = decodeURIComponent(path.pathname.slice("/push/".length));
      const record: ReceivedPush = { variant, headers: request.headers };
      received.set(variant, record);
      try {
        const body = await readBody(request);
        const { claims, publicKey } = await verifyVapid(String(request.headers.authorization), {
          audience: url,
        });
        record.vapidSubject = claims.sub;
        record.vapidKey = base64urlEncode(publicKey);
        const plaintext = await decrypt(body, keys);
        record.plaintext = new TextDecoder().decode(plaintext);
        response.writeHead(201, { location: `${url}/message/${received.size}` }).end();
      } catch (error) {
        record.error = String(error);
        response.writeHead(400).end(String(error));
      }
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    inputFor,
    received,
    keys,
    vapidPublicKey: vapidKeys.publicKey,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export { base64urlDecode };
