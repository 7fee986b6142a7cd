/**
 * The demo as the browser tests run it: a fresh data directory, the sender allowed to reach
 * a push service on 127.0.0.1 and trusting its certificate.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DemoConfig, loadConfig } from "../config.ts";
import { type RunningDemo, startDemo } from "../demo.ts";

export interface TestDemo extends RunningDemo {
  config: DemoConfig;
}

export async function startTestDemo(o: { ca: string }): Promise<TestDemo> {
  const dataDir = await mkdtemp(join(tmpdir(), "swp-demo-browser-"));
  const config = loadConfig({ PORT: "0", DEMO_DATA_DIR: dataDir, DEMO_ALLOW_HOSTS: "127.0.0.1" });
  const demo = await startDemo(config, { ca: o.ca });
  return {
    ...demo,
    config,
    async close() {
      await demo.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The page's one button, read in the page: its label and whether it can be clicked. */
export const READ_BUTTON = `(() => {
  const button = document.querySelector(".js-push-btn");
  return { label: button.textContent.trim(), disabled: button.disabled };
})()`;

/**
 * The notifications the page's service worker registration is showing; `navigate` is the URL
 * a click opens, kept only for Declarative Web Push messages.
 */
export const READ_NOTIFICATIONS = `navigator.serviceWorker.ready
  .then((registration) => registration.getNotifications())
  .then((list) => list.map((n) => ({
    title: n.title, body: n.body, icon: n.icon, badge: n.badge,
    ...(n.data && n.data.navigate ? { navigate: n.data.navigate } : {}),
  })))`;

/** Ticks the page's "As a Declarative Web Push message" option and clicks "Send me a notification". */
export const SEND_DECLARATIVE_FROM_PAGE = `(() => {
  document.querySelector(".js-declarative").checked = true;
  document.querySelector(".js-notify-me-btn").click();
})()`;

/** The status line next to "Send me a notification". */
export const READ_NOTIFY_STATUS = `document.querySelector(".js-notify-status").textContent`;

/** Whether the subscription panel is shown, and the JSON it shows. */
export const READ_PANEL = `(() => ({
  visible: !document.querySelector(".js-subscription-details").classList.contains("is-invisible"),
  json: document.querySelector(".js-subscription-json").textContent,
}))()`;

/** Calls POST api/notify-me from the page (with its session cookie), resolving with the answer. */
export function notifyMeScript(message: { title: string; body: string }): string {
  return `fetch("api/notify-me", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: ${JSON.stringify(JSON.stringify(message))},
  }).then(async (response) => ({ status: response.status, json: await response.json() }))`;
}

export interface ButtonState {
  label: string;
  disabled: boolean;
}

export interface ShownNotification {
  title: string;
  body: string;
  icon: string;
  badge: string;
  navigate?: string;
}
