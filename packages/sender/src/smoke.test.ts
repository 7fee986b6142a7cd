// Imports the BUILT package by name, as users do (run `npx tsc -p tsconfig.build.json` first).
import { createSender, isSwpError, parseSubscription, SubscriptionError } from "@swp/sender";
import { startFakePushService } from "@swp/testing";
import { createVapid, generateVapidKeys } from "@swp/vapid";
import { describe, expect, it, vi } from "vitest";

// Real sockets on a shared machine: allow for a slow scheduler.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

describe("@swp/sender (built)", () => {
  it("sends to the shipped fake push service", async () => {
    const service = await startFakePushService();
    const keys = await generateVapidKeys();
    const vapid = createVapid({ keys, subject: "mailto:smoke@example.com" });
    const sender = createSender({ vapid, ca: service.ca, allowHosts: ["127.0.0.1"] });
    const subscription = parseSubscription(
      JSON.stringify(await service.subscribe({ applicationServerKey: keys.publicKey })),
    );
    expect(await sender.send(subscription, "smoke")).toMatchObject({ ok: true, statusCode: 201 });
    expect((await service.nextMessage()).text).toBe("smoke");
    await sender.close();
    await service.close();
  });

  it("encrypts a large batch on its worker threads, from the built files", async () => {
    const service = await startFakePushService();
    const keys = await generateVapidKeys();
    const vapid = createVapid({ keys, subject: "mailto:smoke@example.com" });
    const sender = createSender({ vapid, ca: service.ca, allowHosts: ["127.0.0.1"], workers: 2 });
    const subscription = await service.subscribe({ applicationServerKey: keys.publicKey });
    const items = Array.from({ length: 300 }, (_, i) => ({ subscription, payload: `w${i}` }));
    expect(await sender.sendAll(items).summary).toEqual({
      total: 300,
      sent: 300,
      gone: 0,
      failed: 0,
    });
    // The service decrypted every body with the subscription's private key.
    expect(new Set(service.messages.map((m) => m.text)).size).toBe(300);
    await sender.close();
    await service.close();
  });

  it("exports errors with the cross-package marker", () => {
    let caught: unknown;
    try {
      parseSubscription("{}");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SubscriptionError);
    expect(isSwpError(caught)).toBe(true);
  });
});
