import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as node from "./node.ts";
import { RFC8188_3_2, RFC8291 } from "./test-support/vectors.ts";
import type { SubscriptionKeys } from "./types.ts";

// The BUILT portable entry (dist/index.js) running in Debian's Chromium, served from 127.0.0.1
// (a secure context, so WebCrypto is available) and checked against the Node entry.
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const b64 = node.base64urlEncode;
const unb64 = node.base64urlDecode;

let server: Server;
let browser: Browser;
let page: Page;

type Ece = typeof import("./index.ts");
declare global {
  // Set by the test page once dist/index.js has loaded.
  var ece: Ece;
}

function serveDist(): Promise<Server> {
  const httpServer = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (path === "/") {
      response.writeHead(200, { "content-type": "text/html" });
      // The page loads the built entry itself: functions passed to page.evaluate are
      // transformed by vitest, which would rewrite an import() written inside them.
      response.end(
        '<!doctype html><title>@swp/ece</title><script type="module">' +
          'import * as ece from "/dist/index.js"; globalThis.ece = ece;</script>',
      );
      return;
    }
    const file = normalize(join(dist, decodeURIComponent(path.replace(/^\/dist\//, ""))));
    if (!path.startsWith("/dist/") || !file.startsWith(dist.endsWith(sep) ? dist : dist + sep)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      const type = extname(file) === ".js" ? "text/javascript" : "application/octet-stream";
      response.writeHead(200, { "content-type": type }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => httpServer.listen(0, "127.0.0.1", () => resolve(httpServer)));
}

beforeAll(async () => {
  server = await serveDist();
  const { port } = server.address() as AddressInfo;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => globalThis.ece !== undefined);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("portable entry in Chromium", () => {
  it("runs in a browser that has no Node globals", async () => {
    const info = await page.evaluate(async () => {
      const ece = globalThis.ece;
      return {
        exports: Object.keys(ece).sort(),
        hasProcess: typeof (globalThis as { process?: unknown }).process !== "undefined",
        userAgent: navigator.userAgent,
      };
    });
    expect(info.hasProcess).toBe(false);
    expect(info.userAgent).toMatch(/Chrome\//);
    expect(info.exports).toEqual(Object.keys(node).sort());
  });

  it("reproduces the RFC 8291 vector and decrypts the RFC 8188 §3.2 example", async () => {
    const out = await page.evaluate(
      async ({ v, multi }) => {
        const ece = globalThis.ece;
        const d = ece.base64urlDecode;
        const result = await ece.encrypt(new TextEncoder().encode(v.plaintext), {
          uaPublic: d(v.uaPublic),
          authSecret: d(v.authSecret),
          salt: d(v.salt),
          asKeyPair: { publicKey: d(v.asPublic), privateKey: d(v.asPrivate) },
        });
        const plaintext = await ece.decrypt(d(v.body), {
          uaPrivate: d(v.uaPrivate),
          uaPublic: d(v.uaPublic),
          authSecret: d(v.authSecret),
        });
        const walrus = await ece.decryptContent(d(multi.body), { key: d(multi.key) });
        return {
          body: ece.base64urlEncode(result.body),
          plaintext: new TextDecoder().decode(plaintext),
          walrus: new TextDecoder().decode(walrus),
        };
      },
      { v: RFC8291, multi: RFC8188_3_2 },
    );
    expect(out.body).toBe(RFC8291.body);
    expect(out.plaintext).toBe("When I grow up, I want to be a watermelon");
    expect(out.walrus).toBe("I am the walrus");
  });

  for (const encoding of ["aes128gcm", "aesgcm"] as const) {
    it(`encrypts in the browser what Node decrypts (${encoding})`, async () => {
      const keys = await node.generateSubscriptionKeys();
      const message = `from Chromium, ${encoding}, ünïcödé`;
      const sent = await page.evaluate(
        async ({ uaPublic, authSecret, message, encoding }) => {
          const ece = globalThis.ece;
          const result = await ece.encrypt(new TextEncoder().encode(message), {
            uaPublic: ece.base64urlDecode(uaPublic),
            authSecret: ece.base64urlDecode(authSecret),
            encoding,
            padding: 16,
          });
          return {
            body: ece.base64urlEncode(result.body),
            salt: ece.base64urlEncode(result.salt),
            asPublic: ece.base64urlEncode(result.asPublic),
          };
        },
        { uaPublic: b64(keys.uaPublic), authSecret: b64(keys.authSecret), message, encoding },
      );
      const plaintext = await node.decrypt(unb64(sent.body), {
        ...keys,
        encoding,
        salt: unb64(sent.salt),
        asPublic: unb64(sent.asPublic),
      });
      expect(new TextDecoder().decode(plaintext)).toBe(message);
    });

    it(`decrypts in the browser what Node encrypts (${encoding})`, async () => {
      // The browser plays the subscriber: its keys are generated there and only the public
      // half and the auth secret come back, as with a real PushSubscription.
      const subscriber = await page.evaluate(async () => {
        const ece = globalThis.ece;
        const keys = await ece.generateSubscriptionKeys();
        (globalThis as { subscriberKeys?: unknown }).subscriberKeys = keys;
        return {
          uaPublic: ece.base64urlEncode(keys.uaPublic),
          authSecret: ece.base64urlEncode(keys.authSecret),
        };
      });
      const message = `from Node, ${encoding}`;
      const sent = await node.encrypt(new TextEncoder().encode(message), {
        uaPublic: unb64(subscriber.uaPublic),
        authSecret: unb64(subscriber.authSecret),
        encoding,
      });
      const text = await page.evaluate(
        async ({ body, salt, asPublic, encoding }) => {
          const ece = globalThis.ece;
          const keys = (globalThis as unknown as { subscriberKeys: SubscriptionKeys })
            .subscriberKeys;
          const plaintext = await ece.decrypt(ece.base64urlDecode(body), {
            ...keys,
            encoding,
            salt: ece.base64urlDecode(salt),
            asPublic: ece.base64urlDecode(asPublic),
          });
          return new TextDecoder().decode(plaintext);
        },
        { body: b64(sent.body), salt: b64(sent.salt), asPublic: b64(sent.asPublic), encoding },
      );
      expect(text).toBe(message);
    });
  }

  it("rejects a tampered body in the browser with ERR_ECE_DECRYPT", async () => {
    const code = await page.evaluate(async () => {
      const ece = globalThis.ece;
      const keys = await ece.generateSubscriptionKeys();
      const { body } = await ece.encrypt(new Uint8Array(10), keys);
      body[100]! ^= 1;
      try {
        await ece.decrypt(body, keys);
        return "decrypted";
      } catch (error) {
        return ece.isSwpError(error) ? error.code : String(error);
      }
    });
    expect(code).toBe("ERR_ECE_DECRYPT");
  });
});
