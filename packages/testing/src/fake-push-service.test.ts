import { connect } from "node:http2";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type FakePushService, startFakePushService } from "./fake-push-service.ts";
import { testRequest, testVapid } from "./test-support/push-request.ts";

// Real sockets on a shared machine: allow for a slow scheduler.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const { vapid, keys } = await testVapid();

/** Posts raw requests over HTTP/2, to check the service's own refusals. */
async function post(
  service: FakePushService,
  path: string,
  headers: Record<string, string>,
  body: Uint8Array,
): Promise<{ status: number; text: string }> {
  const session = connect(service.origin, { ca: service.ca });
  try {
    return await new Promise((resolve, reject) => {
      const stream = session.request({ ":method": "POST", ":path": path, ...headers });
      let status = 0;
      let text = "";
      stream.on("response", (h) => {
        status = Number(h[":status"]);
      });
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        text += chunk;
      });
      stream.on("end", () => resolve({ status, text }));
      stream.on("error", reject);
      stream.end(body);
    });
  } finally {
    session.close();
  }
}

describe("fake push service", () => {
  let service: FakePushService;
  beforeAll(async () => {
    service = await startFakePushService();
  });
  afterAll(() => service.close());

  it("issues https subscriptions on 127.0.0.1 with valid keys", async () => {
    const subscription = await service.subscribe();
    expect(subscription.endpoint.startsWith(`${service.origin}/push/`)).toBe(true);
    expect(service.origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(service.ca).toContain("BEGIN CERTIFICATE");
  });

  it("accepts a well-formed request and records the decrypted message", async () => {
    const subscription = await service.subscribe({ applicationServerKey: keys.publicKey });
    const request = await testRequest(subscription, "raw", vapid);
    const path = new URL(subscription.endpoint).pathname;
    const answer = await post(service, path, request.headers, request.body);
    expect(answer.status).toBe(201);
    const message = await service.nextMessage();
    expect(message).toMatchObject({
      endpoint: subscription.endpoint,
      text: "raw",
      httpVersion: "2.0",
    });
  });

  it("refuses what a real service refuses, with a reason", async () => {
    const subscription = await service.subscribe();
    const request = await testRequest(subscription, "x", vapid);
    const path = new URL(subscription.endpoint).pathname;
    const { Authorization: _auth, ...noAuth } = request.headers;
    expect(await post(service, path, noAuth, request.body)).toMatchObject({ status: 401 });
    const { TTL: _ttl, ...noTtl } = request.headers;
    expect(await post(service, path, noTtl, request.body)).toMatchObject({
      status: 400,
      text: /TTL/,
    });
    expect(await post(service, path, request.headers, new Uint8Array(5000))).toMatchObject({
      status: 413,
    });
    const tampered = request.body.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(await post(service, path, request.headers, tampered)).toMatchObject({
      status: 400,
      text: /decrypt/,
    });
    expect(await post(service, "/push/unknown", request.headers, request.body)).toMatchObject({
      status: 404,
    });
    const forOther = await testRequest(
      { ...subscription, endpoint: "https://elsewhere.example/push/1" },
      "x",
      vapid,
    );
    expect(await post(service, path, forOther.headers, request.body)).toMatchObject({
      status: 401,
      text: /audience/,
    });
  });

  it("plays scripted answers once each, for one endpoint or for all", async () => {
    const a = await service.subscribe();
    const b = await service.subscribe();
    service.script("*", { status: 503, body: "all busy" });
    service.script(a, 410);
    const ra = await testRequest(a, "x", vapid);
    const rb = await testRequest(b, "x", vapid);
    const pa = new URL(a.endpoint).pathname;
    const pb = new URL(b.endpoint).pathname;
    expect(await post(service, pa, ra.headers, ra.body)).toMatchObject({ status: 410 });
    expect(await post(service, pb, rb.headers, rb.body)).toMatchObject({
      status: 503,
      text: "all busy",
    });
    expect(await post(service, pb, rb.headers, rb.body)).toMatchObject({ status: 201 });
    expect(await post(service, pa, ra.headers, ra.body)).toMatchObject({ status: 201 });
  });

  it("accepts paths it never issued only with acceptUnknown and verify off", async () => {
    const bench = await startFakePushService({ verify: false, record: false, acceptUnknown: true });
    const strict = await startFakePushService({ verify: false, record: false });
    const headers = { ttl: "60", "content-encoding": "aes128gcm" };
    const body = new Uint8Array(120);
    expect(await post(bench, "/push/stored-elsewhere-1", headers, body)).toMatchObject({
      status: 201,
    });
    expect(await post(bench, "/not-a-push-path", headers, body)).toMatchObject({ status: 404 });
    expect(await post(strict, "/push/stored-elsewhere-1", headers, body)).toMatchObject({
      status: 404,
    });
    // With verification on, a service can only judge what it issued: acceptUnknown is ignored.
    const verifying = await startFakePushService({ acceptUnknown: true });
    expect(await post(verifying, "/push/stored-elsewhere-1", headers, body)).toMatchObject({
      status: 404,
    });
    await Promise.all([bench.close(), strict.close(), verifying.close()]);
  });

  it("resets a stream with the scripted HTTP/2 code, before answering", async () => {
    for (const code of [0, 7, 8]) {
      const subscription = await service.subscribe();
      const request = await testRequest(subscription, "x", vapid);
      service.script(subscription, { rstStream: code });
      const session = connect(service.origin, { ca: service.ca });
      const outcome = await new Promise<{ status: number; rstCode: number | undefined }>(
        (resolve) => {
          const stream = session.request({
            ":method": "POST",
            ":path": new URL(subscription.endpoint).pathname,
            ...request.headers,
          });
          let status = 0;
          stream.on("response", (h) => {
            status = Number(h[":status"]);
          });
          stream.on("error", () => {});
          stream.on("close", () => resolve({ status, rstCode: stream.rstCode }));
          stream.resume();
          stream.end(request.body);
        },
      );
      session.close();
      expect(outcome).toEqual({ status: 0, rstCode: code });
      expect(service.messages.some((m) => m.endpoint === subscription.endpoint)).toBe(false);
    }
  });

  it("destroys the connection after N requests, taking its other streams along", async () => {
    const stalled = await service.subscribe();
    const subscription = await service.subscribe();
    const request = await testRequest(subscription, "x", vapid);
    const path = new URL(subscription.endpoint).pathname;
    const session = connect(service.origin, { ca: service.ca });
    /** Status of one POST on the shared session: 0 when the connection died first. */
    const postOn = (p: string, body: Uint8Array) =>
      new Promise<number>((resolve) => {
        const stream = session.request({ ":method": "POST", ":path": p, ...request.headers });
        let status = 0;
        stream.on("response", (h) => {
          status = Number(h[":status"]);
        });
        stream.on("error", () => {});
        stream.on("close", () => resolve(status));
        stream.resume();
        stream.end(body);
      });
    service.destroyConnectionAfter(2);
    expect(await postOn(path, request.body)).toBe(201);
    service.script(stalled, "stall");
    const inFlight = postOn(new URL(stalled.endpoint).pathname, request.body); // the 2nd
    expect(await postOn(path, request.body)).toBe(0); // the 3rd: the connection is destroyed
    expect(await inFlight).toBe(0);
    expect(session.destroyed || session.closed).toBe(true);
    // Only the one scripted drop: later requests are served again.
    expect(await post(service, path, request.headers, request.body)).toMatchObject({ status: 201 });
    expect(() => service.destroyConnectionAfter(-1)).toThrow(RangeError);
  });

  it("advertises the configured max concurrent streams", async () => {
    const narrow = await startFakePushService({ maxConcurrentStreams: 1 });
    const session = connect(narrow.origin, { ca: narrow.ca });
    await new Promise<void>((resolve) => session.once("remoteSettings", () => resolve()));
    expect(session.remoteSettings.maxConcurrentStreams).toBe(1);
    session.close();
    await narrow.close();
  });

  it("rejects nextMessage when nothing arrives in time", async () => {
    const quiet = await startFakePushService();
    await expect(quiet.nextMessage({ timeout: 10 })).rejects.toThrow(/no push message/);
    await quiet.close();
  });
});
