/*
 * The codelab's service worker: show a notification for every push, open the app on click,
 * and renew the subscription when the push service replaces it.
 */

/** Reads the push payload: a JSON object with title/body/icon/badge, or plain text as the body. */
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

self.addEventListener("push", (event) => {
  console.log("[Service Worker] Push Received.");
  const payload = readPayload(event.data);
  const title = typeof payload.title === "string" && payload.title ? payload.title : "Push Codelab";
  const options = {
    body: typeof payload.body === "string" && payload.body ? payload.body : "Yay it works.",
    icon: typeof payload.icon === "string" ? payload.icon : "images/icon.png",
    badge: typeof payload.badge === "string" ? payload.badge : "images/badge.png",
  };
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  console.log("[Service Worker] Notification click received.");
  event.notification.close();
  const appUrl = self.registration.scope;
  event.waitUntil(
    (async () => {
      // Focus the app if it is already open in a tab, otherwise open it.
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((client) => client.url.startsWith(appUrl));
      if (open) return open.focus();
      return self.clients.openWindow(appUrl);
    })(),
  );
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
