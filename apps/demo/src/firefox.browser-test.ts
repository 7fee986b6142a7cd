/**
 * The whole chain in a real Firefox ESR, offline: the page subscribes through Firefox's
 * own push client (connected to a local push server speaking Mozilla's protocol), the
 * demo stores the subscription, /api/notify-me sends through the real sender, the push
 * server verifies VAPID and forwards, Firefox decrypts, and the service worker shows the
 * notification.
 */

import { type FirefoxPushServer, firefoxPushPrefs, startFirefoxPushServer } from "@swp/testing";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ButtonState,
  notifyMeScript,
  READ_BUTTON,
  READ_NOTIFICATIONS,
  READ_NOTIFY_STATUS,
  READ_PANEL,
  SEND_DECLARATIVE_FROM_PAGE,
  type ShownNotification,
  startTestDemo,
  type TestDemo,
} from "./test-support/test-demo.ts";

const FIREFOX = "/usr/bin/firefox-esr";

let pushServer: FirefoxPushServer;
let demo: TestDemo;
let browser: Browser;

beforeAll(async () => {
  pushServer = await startFirefoxPushServer();
  demo = await startTestDemo({ ca: pushServer.ca });
  browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: firefoxPushPrefs(pushServer),
  });
  // A subscribe() sent before Firefox has connected to its push server can hang.
  await pushServer.waitForHello({ timeout: 30_000 });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await pushServer?.close();
});

async function button(page: Page): Promise<ButtonState> {
  return page.evaluate(READ_BUTTON) as Promise<ButtonState>;
}

async function notifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(READ_NOTIFICATIONS) as Promise<ShownNotification[]>;
}

describe("the demo in Firefox ESR", () => {
  it("subscribes, gets a message from the server decrypted and shown, and unsubscribes", async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.url}/`);
    await expect
      .poll(() => button(page), { timeout: 15_000 })
      .toEqual({ label: "Enable Push Messaging", disabled: false });

    // A real pushManager.subscribe(): Firefox registers with the push server.
    await page.click(".js-push-btn");
    await expect
      .poll(() => button(page), { timeout: 15_000 })
      .toEqual({ label: "Disable Push Messaging", disabled: false });
    const registered = await pushServer.waitFor("register");
    const serverKey = await demo.pusher.getUrlB64PublicKey();
    expect(registered.applicationServerKey).toEqual(
      new Uint8Array(Buffer.from(serverKey, "base64url")),
    );

    // The page shows the subscription, and the server stored it under the page's session.
    const panel = (await page.evaluate(READ_PANEL)) as { visible: boolean; json: string };
    expect(panel.visible).toBe(true);
    expect(JSON.parse(panel.json).endpoint).toBe(registered.endpoint);
    const sessionId = await demo.pusher.getIdSession(registered.endpoint);
    expect(sessionId).toMatch(/^[0-9a-f]{32}$/);

    // /api/notify-me from the page: the demo sends with the real sender (aes128gcm).
    const message = { title: "Hello from the demo", body: "Decrypted by Firefox itself." };
    const answer = (await page.evaluate(notifyMeScript(message))) as {
      status: number;
      json: { ok: boolean; statusCode: number };
    };
    expect(answer).toEqual({ status: 200, json: { ok: true, statusCode: 201, gone: false } });
    const push = await pushServer.waitFor("push");
    expect(push).toMatchObject({
      encoding: "aes128gcm",
      delivery: "sent",
      channelID: registered.channelID,
    });
    expect(push.claims).toMatchObject({ aud: pushServer.origin, sub: demo.config.subject });
    const ack = await pushServer.waitFor("ack", { match: (e) => e.version === push.version });
    expect(ack.outcome).toBe("delivered");

    await expect.poll(() => notifications(page), { timeout: 10_000 }).toHaveLength(1);
    const [shown] = await notifications(page);
    expect(shown).toMatchObject(message);
    expect(shown?.icon).toBe(`${demo.url}/images/icon.png`);

    // Legacy aesgcm through the same subscription: Firefox decrypts that too.
    const stored = await demo.pusher.getSubscription(sessionId!);
    const legacy = await demo.pusher.sendNotification(
      stored!,
      { title: "Legacy", body: "aesgcm" },
      { encoding: "aesgcm" },
    );
    expect(legacy.ok).toBe(true);
    const legacyPush = await pushServer.waitFor("push", { match: (e) => e.encoding === "aesgcm" });
    const legacyAck = await pushServer.waitFor("ack", {
      match: (e) => e.version === legacyPush.version,
    });
    expect(legacyAck.outcome).toBe("delivered");
    await expect
      .poll(async () => (await notifications(page)).map((n) => n.title).sort(), { timeout: 10_000 })
      .toEqual(["Hello from the demo", "Legacy"]);

    // The page's Declarative Web Push option: Firefox has no declarative push, so it hands
    // the JSON to the service worker, which shows the same notification (and keeps the URL).
    const seen = new Set([push.version, legacyPush.version]);
    await page.evaluate(SEND_DECLARATIVE_FROM_PAGE);
    await expect
      .poll(() => page.evaluate(READ_NOTIFY_STATUS), { timeout: 15_000 })
      .toMatch(/^Sent\./);
    const declarativePush = await pushServer.waitFor("push", {
      match: (e) => !seen.has(e.version),
    });
    const declarativeAck = await pushServer.waitFor("ack", {
      match: (e) => e.version === declarativePush.version,
    });
    expect(declarativeAck.outcome).toBe("delivered");
    await expect
      .poll(
        async () =>
          (await notifications(page))
            .filter((n) => n.navigate)
            .map(({ title, body, icon, navigate }) => ({ title, body, icon, navigate })),
        { timeout: 10_000 },
      )
      .toEqual([
        {
          title: "Push Codelab",
          body: expect.stringMatching(/^Sent by the server at /),
          icon: `${demo.url}/images/icon.png`,
          navigate: `${demo.url}/`,
        },
      ]);

    // "Disable": Firefox unregisters, and the server forgets the subscription.
    await page.click(".js-push-btn");
    await expect
      .poll(() => button(page), { timeout: 15_000 })
      .toEqual({ label: "Enable Push Messaging", disabled: false });
    const unregistered = await pushServer.waitFor("unregister");
    expect(unregistered.channelID).toBe(registered.channelID);
    expect(await demo.pusher.getIdSession(registered.endpoint)).toBeUndefined();
    expect(((await page.evaluate(READ_PANEL)) as { visible: boolean }).visible).toBe(false);
    expect(pushServer.events.filter((e) => e.type === "rejected")).toEqual([]);
  });
});
