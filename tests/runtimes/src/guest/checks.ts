import type * as Declarative from "@swp/declarative";
import type * as Ece from "@swp/ece";
import type * as Sender from "@swp/sender";
import type * as Vapid from "@swp/vapid";
import type { CheckResult, GuestInput, GuestReport } from "./protocol.ts";
import { RFC8291 } from "./vectors.ts";

/** The packages as the runtime resolved them (a bundle, or its own module resolution). */
export interface Libraries {
  ece: typeof Ece;
  vapid: typeof Vapid;
  /** `@swp/sender` or `@swp/sender/fetch`: only what both entries export is used. */
  sender: Pick<typeof Sender, "buildPushRequest" | "createFetchTransport"> & {
    createSender?: typeof Sender.createSender;
  };
  declarative: typeof Declarative;
}

const text = new TextEncoder();

/**
 * The five checks, run inside Deno, Bun or workerd. Each one that can be verified only by
 * Node returns what Node needs in `output`; a throw becomes `ok: false` with the message.
 */
export async function runChecks(input: GuestInput, lib: Libraries): Promise<GuestReport> {
  const { ece, vapid, sender, declarative } = lib;
  const b64 = ece.base64urlDecode;
  const results: CheckResult[] = [];
  const run = async (
    check: CheckResult["check"],
    body: () => Promise<{ ok: boolean; output?: Record<string, unknown> }>,
  ) => {
    try {
      results.push({ check, ...(await body()) });
    } catch (error) {
      results.push({ check, ok: false, error: String((error as Error)?.stack ?? error) });
    }
  };

  await run("rfc8291-appendix-a-decrypt", async () => {
    const plaintext = await ece.decrypt(b64(RFC8291.body), {
      uaPrivate: b64(RFC8291.uaPrivate),
      uaPublic: b64(RFC8291.uaPublic),
      authSecret: b64(RFC8291.authSecret),
    });
    const decoded = new TextDecoder().decode(plaintext);
    return { ok: decoded === RFC8291.plaintext, output: { plaintext: decoded } };
  });

  await run("fresh-encrypt-node-decrypts", async () => {
    const { body, headers } = await ece.encrypt(text.encode(input.plaintext), {
      uaPublic: b64(input.receiver.uaPublic),
      authSecret: b64(input.receiver.authSecret),
    });
    return { ok: true, output: { body: ece.base64urlEncode(body), headers } };
  });

  const keys = await vapid.vapidKeysFromBase64Url(input.vapidKeys);
  const signer = vapid.createVapid({ keys, subject: "mailto:matrix@example.com" });

  await run("vapid-header-node-verifies", async () => {
    const headers = await signer.headers("https://push.example/send/abc");
    return { ok: true, output: { authorization: headers.Authorization } };
  });

  // The payload of the push request is a declarative message built here, so the receiver's
  // decryption also proves the declarative JSON crossed intact.
  const notification = {
    title: `Sent from ${input.variant}`,
    navigate: "https://app.example/inbox",
    body: "Ünïcödé ✓",
    actions: [{ action: "open", title: "Open", navigate: "https://app.example/inbox/1" }],
  };

  await run("build-push-request-fetch-transport", async () => {
    const payload = declarative.serializeDeclarativeMessage({ notification, app_badge: 1 });
    const request = await sender.buildPushRequest(input.subscription, payload, {
      vapid: signer,
      ttl: 60,
      urgency: "high",
      allowHttp: true,
    });
    const url = new URL(request.endpoint);
    const transport = sender.createFetchTransport(fetch);
    const response = await transport.request({
      origin: url.origin,
      path: url.pathname + url.search,
      headers: request.headers,
      body: request.body,
    });
    return {
      ok: response.statusCode === 201,
      output: {
        status: response.statusCode,
        location: response.headers.location,
        payload,
        bodyIsArrayBufferBacked: request.body.buffer instanceof ArrayBuffer,
      },
    };
  });

  await run("declarative-payload", async () => {
    const message = declarative.createDeclarativeMessage({ notification, mutable: true });
    let refusal: { code?: string; field?: string; marked?: boolean } = {};
    try {
      declarative.serializeDeclarativeMessage({
        notification: { title: "x", navigate: "/relative" },
      });
    } catch (error) {
      const e = error as { code?: string; field?: string };
      refusal = {
        code: e.code,
        field: e.field,
        marked: ece.isSwpError(error),
      };
    }
    const tooLarge = (() => {
      try {
        declarative.serializeDeclarativeMessage({
          notification: { ...notification, body: "é".repeat(2000) },
        });
        return undefined;
      } catch (error) {
        return (error as { code?: string; size?: number }).size;
      }
    })();
    return {
      ok: message.web_push === 8030 && refusal.code === "ERR_DECLARATIVE_INVALID_URL",
      output: { message, refusal, tooLargeSize: tooLarge },
    };
  });

  // What Deno and Bun users of the full entry get: createSender with its default transport
  // (undici for HTTP/1.1, node:http2, worker threads for big batches) on the runtime's Node
  // compatibility layer. 127.0.0.1 is exempted from the SSRF guard for the test receiver.
  const { createSender } = sender;
  const sendWith = async (
    check: CheckResult["check"],
    transport: "default" | "fetch",
    subscription: GuestInput["senderSubscription"],
  ) => {
    if (!createSender) {
      results.push({ check, ok: true, absent: true });
      return;
    }
    await run(check, async () => {
      const client = createSender({
        vapid: signer,
        allowHttp: true,
        allowHosts: ["127.0.0.1"],
        retries: 0,
        ...(transport === "fetch" ? { transport: sender.createFetchTransport(fetch) } : {}),
      });
      const payload = declarative.serializeDeclarativeMessage({ notification });
      const pushed = await client.send(subscription, payload, { ttl: 30 });
      // close() is reported apart from the send: a runtime may deliver and still fail here.
      let closeError: string | undefined;
      try {
        await client.close();
      } catch (error) {
        closeError = String(error);
      }
      return {
        ok: pushed.ok && closeError === undefined,
        output: { status: pushed.statusCode, reason: pushed.reason, closeError, payload },
      };
    });
  };
  // What Deno and Bun users of the full entry get: createSender with its default transport
  // (undici for HTTP/1.1, node:http2, worker threads for big batches) on the runtime's Node
  // compatibility layer, and createSender over fetch. 127.0.0.1 is exempted from the SSRF
  // guard for the test receiver.
  await sendWith("create-sender-default-transport", "default", input.senderSubscription);
  await sendWith("create-sender-fetch-transport", "fetch", input.fetchSenderSubscription);

  const typeOf = (name: string) => typeof (globalThis as Record<string, unknown>)[name];
  return {
    variant: input.variant,
    senderExports: {
      buildPushRequest: typeof sender.buildPushRequest,
      createFetchTransport: typeof sender.createFetchTransport,
      createSender: typeof sender.createSender,
    },
    globals: { process: typeOf("process"), Buffer: typeOf("Buffer") },
    results,
  };
}
