// Takes the README's screenshots with Debian's Chromium: the codelab page before and after
// subscribing, and the companion page after a send. Run from apps/demo after a build of
// the dependencies: `npx tsx tools/take-screenshots.ts`. The subscription comes from the
// fake push service (Chromium cannot reach Google's push service here), as in the tests.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakePushService } from "@swp/testing";
import { chromium, type Page } from "playwright-core";
import { startTestDemo } from "../src/test-support/test-demo.ts";

const fake = await startFakePushService();
const demo = await startTestDemo({ ca: fake.ca });
const serverKey = await demo.pusher.getUrlB64PublicKey();
const subscription = await fake.subscribe({
  applicationServerKey: Buffer.from(serverKey, "base64url"),
});
// Two more subscribers, one of them gone, so the companion's summary has something to say.
await demo.pusher.newSubscription("a".repeat(32), await fake.subscribe());
const gone = await fake.subscribe();
await demo.pusher.newSubscription("b".repeat(32), gone);
fake.unsubscribe(gone);

const profile = await mkdtemp(join(tmpdir(), "swp-shots-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 960, height: 720 },
  // waitForFunction evaluates its string with eval, which the page's CSP rightly refuses.
  bypassCSP: true,
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
await context.grantPermissions(["notifications"], { origin: demo.url });
await context.addInitScript({
  content: `(() => {
    const subscription = ${JSON.stringify(subscription)};
    let subscribed = false;
    const make = () => ({ endpoint: subscription.endpoint, expirationTime: null,
      toJSON: () => subscription, unsubscribe: async () => { subscribed = false; return true; } });
    PushManager.prototype.subscribe = async () => { subscribed = true; return make(); };
    PushManager.prototype.getSubscription = async () => (subscribed ? make() : null);
  })();`,
});

const label = (page: Page) =>
  page.evaluate(`document.querySelector(".js-push-btn").textContent.trim()`);
const docs = new URL("../docs/", import.meta.url);
const page = await context.newPage();
await page.goto(`${demo.url}/`);
await page.waitForFunction(`!document.querySelector(".js-push-btn").disabled`);
await page.screenshot({ path: new URL("codelab-unsubscribed.png", docs).pathname });
await page.click(".js-push-btn");
// Wait for the panel's one-second fade to finish.
await page.waitForFunction(
  `getComputedStyle(document.querySelector(".js-subscription-details")).opacity === "1"`,
);
console.log("button:", await label(page));
await page.screenshot({ path: new URL("codelab-subscribed.png", docs).pathname });

const companion = await context.newPage();
await companion.goto(`${demo.url}/companion.html`);
await companion.click(".js-notify-all-btn");
await companion.waitForFunction(
  `getComputedStyle(document.querySelector(".js-summary")).opacity === "1"`,
);
await companion.screenshot({ path: new URL("companion-summary.png", docs).pathname });

await context.close();
await rm(profile, { recursive: true, force: true });
await demo.close();
await fake.close();
console.log("screenshots written to apps/demo/docs/");
