import { type FakePushService, startFakePushService } from "@swp/testing";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createFetchTransport } from "./fetch-transport.ts";
import { createSender } from "./sender.ts";
import { testVapid } from "./test-support/fixtures.ts";

// Real sockets on a shared machine: allow for a slow scheduler.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const { vapid } = await testVapid();

describe("createFetchTransport", () => {
  let service: FakePushService;
  let agent: Agent;
  beforeAll(async () => {
    service = await startFakePushService();
    agent = new Agent({ connect: { ca: service.ca } });
  });
  afterAll(async () => {
    await agent.close();
    await service.close();
  });

  it("delivers through a WHATWG fetch and still refuses private IP literals", async () => {
    const transport = createFetchTransport((url, init) =>
      undiciFetch(url, { ...init, dispatcher: agent }),
    );
    const open = createSender({ vapid, transport, allowHosts: ["127.0.0.1"] });
    const subscription = await service.subscribe();
    expect(await open.send(subscription, "via fetch")).toMatchObject({ ok: true, statusCode: 201 });
    expect((await service.nextMessage()).text).toBe("via fetch");
    service.script(subscription, { status: 410, body: '{"reason":"Unregistered"}' });
    expect(await open.send(subscription, "x")).toMatchObject({
      gone: true,
      reason: "Unregistered",
    });

    const guarded = createSender({ vapid, transport });
    const refused = await guarded.send(subscription, "x");
    expect(refused).toMatchObject({ ok: false, statusCode: 0, attempts: 0 });
    expect(refused.reason).toMatch(/loopback/);
  });
});
