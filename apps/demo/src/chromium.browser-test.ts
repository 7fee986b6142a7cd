/**
 * The demo in a real Chromium. Its pushManager.subscribe() needs Google's push service,
 * which cannot be reached here (the call neither resolves nor rejects), so an init script
 * makes subscribe() return a subscription issued by the fake push service. Everything else
 * is real: the page, its service worker, the button states (including a denied
 * permission), the subscription stored by the server, the message sent through the real
 * sender and verified and decrypted by the fake service, then handed to the real service
 * worker over the DevTools protocol, which shows the notification.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PushSubscription } from "@swp/sender";
import { type FakePushService, startFakePushService } from "@swp/testing";
import { type BrowserContext, type CDPSession, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ButtonState,
  notifyMeScript,
  READ_BUTTON,
  READ_NOTIFICATIONS,
  READ_PANEL,
  SEND_DECLARATIVE_FROM_PAGE,
  type ShownNotification,
  startTestDemo,
  type TestDemo,
} from "./test-support/test-demo.ts";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Replaces PushManager's subscribe/getSubscription with ones that hand out `subscription`,
 * after checking what the page asked for exactly as the real one would be asked
 * (userVisibleOnly and the server's key), and records the request for the test.
 */
function fakeSubscribeScript(subscription: PushSubscription, serverKey: string): string {
  return `(() => {
    const subscription = ${JSON.stringify(subscription)};
    const serverKey = ${JSON.stringify(serverKey)};
    const flag = "swp-test-subscribed";
    const toBase64Url = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
      .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
    const make = () => ({
      endpoint: subscription.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true },
      getKey: () => null,
      toJSON: () => subscription,
      unsubscribe: async () => { localStorage.removeItem(flag); return true; },
    });
    PushManager.prototype.subscribe = async function (options) {
      if (Notification.permission === "denied") {
        throw new DOMException("Registration failed - permission denied", "NotAllowedError");
      }
      const key = options && options.applicationServerKey;
      const asked = key ? toBase64Url(key.buffer ? key.buffer.slice(key.byteOffset, key.byteOffset + key.byteLength) : key) : "";
      if (!options || options.userVisibleOnly !== true || asked !== serverKey) {
        throw new DOMException("unexpected subscribe options: " + JSON.stringify({ userVisibleOnly: options && options.userVisibleOnly, asked }), "InvalidAccessError");
      }
      localStorage.setItem(flag, "1");
      return make();
    };
    PushManager.prototype.getSubscription = async function () {
      return localStorage.getItem(flag) ? make() : null;
    };
  })();`;
}

let fake: FakePushService;
let demo: TestDemo;
let context: BrowserContext;
let profileDir: string;
let subscription: PushSubscription;
let serverKey: string;

beforeAll(async () => {
  fake = await startFakePushService();
  demo = await startTestDemo({ ca: fake.ca });
  serverKey = await demo.pusher.getUrlB64PublicKey();
  subscription = await fake.subscribe({
    applicationServerKey: Buffer.from(serverKey, "base64url"),
  });
  profileDir = await mkdtemp(join(tmpdir(), "swp-chromium-"));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  await context.addInitScript({ content: fakeSubscribeScript(subscription, serverKey) });
});

afterAll(async () => {
  await context?.close();
  await demo?.close();
  await fake?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

async function button(page: Page): Promise<ButtonState> {
  return page.evaluate(READ_BUTTON) as Promise<ButtonState>;
}

async function notifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(READ_NOTIFICATIONS) as Promise<ShownNotification[]>;
}

/** The id of the page's service worker registration, from the DevTools protocol. */
async function registrationId(cdp: CDPSession, scope: string): Promise<string> {
  const registrations = new Map<string, string>();
  cdp.on("ServiceWorker.workerRegistrationUpdated", (event) => {
    for (const r of event.registrations) {
      if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
    }
  });
  await cdp.send("ServiceWorker.enable");
  await expect.poll(() => registrations.get(scope), { timeout: 10_000 }).toBeDefined();
  return registrations.get(scope)!;
}

describe("the demo in Chromium", () => {
  it("subscribes, stores the subscription, shows a message the server sent, and unsubscribes", async () => {
    await context.grantPermissions(["notifications"], { origin: demo.url });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`${demo.url}/`);
    await expect
      .poll(() => button(page), { timeout: 15_000 })
      .toEqual({ label: "Enable Push Messaging", disabled: false });

    await page.click(".js-push-btn");
    await expect
      .poll(() => button(page), { timeout: 15_000 })
      .toEqual({ label: "Disable Push Messaging", disabled: false });
    const panel = (await page.evaluate(READ_PANEL)) as { visible: boolean; json: string };
    expect(panel.visible).toBe(true);
    expect(JSON.parse(panel.json)).toEqual(subscription);
    const sessionId = await demo.pusher.getIdSession(subscription.endpoint);
    expect(sessionId).toMatch(/^[0-9a-f]{32}$/);

    // The server sends through the real sender; the fake service verifies VAPID and decrypts.
    const message = { title: "Hello from the demo", body: "Delivered over DevTools." };
    const before = fake.messages.length;
    const answer = (await page.evaluate(notifyMeScript(message))) as {
      status: number;
      json: unknown;
    };
    expect(answer).toEqual({ status: 200, json: { ok: true, statusCode: 201, gone: false } });
    expect(fake.messages.length).toBe(before + 1);
    const received = fake.messages[before]!;
    expect(received.endpoint).toBe(subscription.endpoint);
    expect(received.claims).toMatchObject({ sub: demo.config.subject });

    // Chromium's push service is out of reach: hand the decrypted payload to the real
    // service worker, as Chromium would after decrypting it.
    const registration = await registrationId(cdp, `${demo.url}/`);
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: demo.url,
      registrationId: registration,
      data: received.text,
    });
    await expect.poll(() => notifications(page), { timeout: 10_000 }).toHaveLength(1);
    expect(await notifications(page)).toEqual([
      {
        ...message,
        icon: `${demo.url}/images/icon.png`,
        badge: `${demo.url}/images/badge.png`,
      },
    ]);

    // A push without a payload still shows the codelab's notification.
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: demo.url,
      registrationId: registration,
      data: "",
    });
    await expect
      .poll(async () => (await notifications(page)).map((n) => `${n.title}: ${n.body}`).sort(), {
        timeout: 10_000,
      })
      .toEqual(["Hello from the demo: Delivered over DevTools.", "Push Codelab: Yay it works."]);

    // The page's Declarative Web Push option: the server sends the declarative JSON, which
    // Chromium (no declarative push) hands to the service worker; it shows the same
    // notification and keeps the URL to open on a click.
    const beforeDeclarative = fake.messages.length;
    await page.evaluate(SEND_DECLARATIVE_FROM_PAGE);
    await expect.poll(() => fake.messages.length, { timeout: 10_000 }).toBe(beforeDeclarative + 1);
    const declarative = fake.messages[beforeDeclarative]!;
    const sent = JSON.parse(declarative.text);
    expect(sent).toEqual({
      web_push: 8030,
      notification: {
        title: "Push Codelab",
        body: expect.stringMatching(/^Sent by the server at /),
        navigate: `${demo.url}/`,
        lang: "en",
      },
    });
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: demo.url,
      registrationId: registration,
      data: declarative.text,
    });
    await expect
      .poll(async () => (await notifications(page)).filter((n) => n.navigate), {
        timeout: 10_000,
      })
      .toEqual([
        {
          title: "Push Codelab",
          body: sent.notification.body,
          icon: `${demo.url}/images/icon.png`,
          badge: `${demo.url}/images/badge.png`,
          navigate: `${demo.url}/`,
        },
      ]);

    // The companion's option: "Send to everyone" as a declarative message.
    const companion = await context.newPage();
    await companion.goto(`${demo.url}/companion.html`);
    const beforeCompanion = fake.messages.length;
    await companion.fill("#notify-title", "From the companion");
    await companion.check(".js-declarative");
    await companion.click(".js-notify-all-btn");
    await expect.poll(() => companion.textContent(".js-sent"), { timeout: 10_000 }).toBe("1");
    const everyone = fake.messages.slice(beforeCompanion);
    expect(everyone.map((m) => JSON.parse(m.text))).toEqual([
      {
        web_push: 8030,
        notification: {
          title: "From the companion",
          body: "Hello, everyone.",
          navigate: `${demo.url}/`,
          lang: "en",
        },
      },
    ]);
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: demo.url,
      registrationId: registration,
      data: everyone[0]!.text,
    });
    await expect
      .poll(async () => (await notifications(page)).map((n) => n.title), { timeout: 10_000 })
      .toContain("From the companion");
    await companion.close();

    await page.click(".js-push-btn");
    await expect
      .poll(() => button(page), { timeout: 15_000 })
      .toEqual({ label: "Enable Push Messaging", disabled: false });
    expect(await demo.pusher.getIdSession(subscription.endpoint)).toBeUndefined();
    expect(((await page.evaluate(READ_PANEL)) as { visible: boolean }).visible).toBe(false);
    await page.close();
  });

  it("shows the terminal 'Push Messaging Blocked.' when notifications are denied", async () => {
    // Another origin of the same server, so the permission above does not apply.
    const origin = demo.url.replace("localhost", "127.0.0.1");
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Browser.setPermission", {
      permission: { name: "notifications" },
      setting: "denied",
      origin,
    });
    await page.goto(`${origin}/`);
    await expect
      .poll(() => button(page), { timeout: 15_000 })
      .toEqual({ label: "Push Messaging Blocked.", disabled: true });
    expect(((await page.evaluate(READ_PANEL)) as { visible: boolean }).visible).toBe(false);
    await page.close();
  });
});
