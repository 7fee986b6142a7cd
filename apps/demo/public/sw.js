/*
 * The codelab's service worker: show a notification for every push (Declarative Web Push
 * messages included), open the app (or the message's URL) on click, and renew the
 * subscription when the push service replaces it.
 */

/** Reads the push payload: a JSON object, or plain text as the body. */
function readPayload(data) {
  // event.data is null for a push without a payload; calling text() on it would throw.
  if (!data) return {};
  const text = data.text();
  try {
    const json = JSON.parse(text);
    if (json && typeof json === "object" && !Array.isArray(json)) return json;
  } catch {
    // Not JSON: the text itself is the message.
  }
  return text ? { body: text } : {};
}

const text = (value) => (typeof value === "string" && value ? value : undefined);

/**
 * A Declarative Web Push message (`{ "web_push": 8030, "notification": { title, navigate,
 * ... } }`, Push API draft) as `[title, options]` for showNotification, or null for any
 * other payload. Safari 18.4+ shows such a message itself; the other browsers deliver its
 * JSON here, so the worker shows the same notification and opens `navigate` on a click.
 */
function readDeclarative(payload) {
  const n = payload.web_push === 8030 ? payload.notification : undefined;
  if (!n || typeof n !== "object" || !text(n.title) || !text(n.navigate)) return null;
  const options = {
    body: text(n.body) || "",
    icon: text(n.icon) || "images/icon.png",
    badge: text(n.badge) || "images/badge.png",
    data: { navigate: n.navigate, actions: {}, data: n.data === undefined ? null : n.data },
  };
  for (const name of ["lang", "dir", "tag", "image"]) {
    if (text(n[name])) options[name] = n[name];
  }
  for (const name of ["silent", "requireInteraction", "renotify"]) {
    if (typeof n[name] === "boolean") options[name] = n[name];
  }
  if (typeof n.timestamp === "number") options.timestamp = n.timestamp;
  if (Array.isArray(n.vibrate)) options.vibrate = n.vibrate;
  if (Array.isArray(n.actions)) {
    options.actions = n.actions
      .filter((a) => a && text(a.action) && text(a.title) && text(a.navigate))
      .map((a) => {
        options.data.actions[a.action] = a.navigate;
        return text(a.icon)
          ? { action: a.action, title: a.title, icon: a.icon }
          : { action: a.action, title: a.title };
      });
  }
  return [n.title, options];
}

/** Shows the notification a push asks for: declarative, JSON `{ title, body, ... }`, or text. */
async function showPush(payload) {
  const declarative = readDeclarative(payload);
  if (declarative) {
    const [title, options] = declarative;
    // The Badging API, where there is one (installed web apps); 0 clears the badge.
    if (
      Number.isInteger(payload.app_badge) &&
      payload.app_badge >= 0 &&
      self.navigator.setAppBadge
    ) {
      await self.navigator.setAppBadge(payload.app_badge).catch(() => {});
    }
    try {
      return await self.registration.showNotification(title, options);
    } catch (error) {
      // An option this browser refuses (e.g. renotify without a tag): the text still shows.
      console.warn("[Service Worker] Declarative options refused:", error);
      return self.registration.showNotification(title, {
        body: options.body,
        icon: options.icon,
        badge: options.badge,
        data: options.data,
      });
    }
  }
  const title = text(payload.title) || "Push Codelab";
  return self.registration.showNotification(title, {
    body: text(payload.body) || "Yay it works.",
    icon: typeof payload.icon === "string" ? payload.icon : "images/icon.png",
    badge: typeof payload.badge === "string" ? payload.badge : "images/badge.png",
  });
}

self.addEventListener("push", (event) => {
  console.log("[Service Worker] Push Received.");
  event.waitUntil(showPush(readPayload(event.data)));
});

/** Focuses a window already showing `url`, or opens one. */
async function openOrFocus(url) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => client.url === url || client.url.startsWith(url));
  if (open) return open.focus();
  return self.clients.openWindow(url);
}

self.addEventListener("notificationclick", (event) => {
  console.log("[Service Worker] Notification click received.");
  event.notification.close();
  const data = event.notification.data || {};
  // A declarative message names where to go, per action; the codelab's messages go to the app.
  const url =
    (event.action && data.actions?.[event.action]) || data.navigate || self.registration.scope;
  event.waitUntil(openOrFocus(url));
});

/** Same conversion as in main.js; the global atob, because a service worker has no window. */
function urlB64ToUint8Array(base64String) {
  const padding = "=".repeat((4 - (base64String.length % 4)) % 4);
  const base64 = (base64String + padding).replace(/-/g, "+").replace(/_/g, "/");
  const rawData = atob(base64);
  return Uint8Array.from(rawData, (c) => c.charCodeAt(0));
}

self.addEventListener("pushsubscriptionchange", (event) => {
  console.log("[Service Worker] pushsubscriptionchange event fired.");
  event.waitUntil(
    (async () => {
      // The key comes from the server, so it is always the one main.js used.
      const response = await fetch("api/vapid-public-key", { credentials: "same-origin" });
      const { publicKey } = await response.json();
      const subscription = await self.registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: urlB64ToUint8Array(publicKey),
      });
      await fetch("api/subscribe", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ subscription: subscription.toJSON() }),
      });
      console.log("[Service Worker] New subscription sent to the server.");
    })(),
  );
});
