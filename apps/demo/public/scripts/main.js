/*
 * The codelab's page script: feature detection, service worker registration, and one button
 * that subscribes and unsubscribes. Unlike the codelab, the application server key comes from
 * the server, and the subscription really goes to the server (and is deleted from it).
 * A classic script on purpose: no build step, no modules, nothing downloaded.
 */

const pushButton = document.querySelector(".js-push-btn");
const notifyMeButton = document.querySelector(".js-notify-me-btn");
const notifyStatus = document.querySelector(".js-notify-status");
const declarativeOption = document.querySelector(".js-declarative");

let isSubscribed = false;
let swRegistration = null;
let applicationServerPublicKey = null;

/** Turns the base64url public key (65 bytes, no padding) into the bytes `subscribe()` wants. */
function urlB64ToUint8Array(base64String) {
  const padding = "=".repeat((4 - (base64String.length % 4)) % 4);
  const base64 = (base64String + padding).replace(/-/g, "+").replace(/_/g, "/");
  const rawData = atob(base64);
  const outputArray = new Uint8Array(rawData.length);
  for (let i = 0; i < rawData.length; ++i) {
    outputArray[i] = rawData.charCodeAt(i);
  }
  return outputArray;
}

/** POSTs JSON to the demo server and returns the decoded answer, or throws with its message. */
async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body === undefined ? {} : body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(answer.error || `${path} answered ${response.status}`);
  }
  return answer;
}

/** Shows the subscription JSON in the panel (which fades in), or hides the panel for null. */
function showSubscription(subscription) {
  const subscriptionJson = document.querySelector(".js-subscription-json");
  const subscriptionDetails = document.querySelector(".js-subscription-details");
  if (subscription) {
    subscriptionJson.textContent = JSON.stringify(subscription);
    subscriptionDetails.classList.remove("is-invisible");
  } else {
    subscriptionDetails.classList.add("is-invisible");
  }
}

/** Stores the subscription on the server (or deletes this session's one for null), then shows it. */
async function updateSubscriptionOnServer(subscription) {
  if (subscription) {
    await postJson("api/subscribe", { subscription: subscription.toJSON() });
  } else {
    await postJson("api/unsubscribe");
  }
  showSubscription(subscription);
}

function updateBtn() {
  // A denied permission cannot be asked again from the page, so the button stays off for good.
  if (Notification.permission === "denied") {
    pushButton.textContent = "Push Messaging Blocked.";
    pushButton.disabled = true;
    showSubscription(null);
    return;
  }
  pushButton.textContent = isSubscribed ? "Disable Push Messaging" : "Enable Push Messaging";
  pushButton.disabled = false;
}

async function subscribeUser() {
  try {
    // subscribe() asks for the notification permission itself and resolves once the browser's
    // push service has issued the endpoint. userVisibleOnly: every push shows a notification.
    const subscription = await swRegistration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: urlB64ToUint8Array(applicationServerPublicKey),
    });
    console.log("User is subscribed.");
    await updateSubscriptionOnServer(subscription);
    isSubscribed = true;
  } catch (error) {
    console.error("Failed to subscribe the user: ", error);
  }
  updateBtn();
}

async function unsubscribeUser() {
  try {
    const subscription = await swRegistration.pushManager.getSubscription();
    if (subscription) {
      await subscription.unsubscribe();
    }
  } catch (error) {
    console.error("Error unsubscribing", error);
  }
  // As in the codelab, the server forgets the subscription even if the browser failed to drop it:
  // the user asked for no more messages.
  try {
    await updateSubscriptionOnServer(null);
  } catch (error) {
    console.error("Error telling the server", error);
  }
  console.log("User is unsubscribed.");
  isSubscribed = false;
  updateBtn();
}

async function notifyMe() {
  notifyMeButton.disabled = true;
  notifyStatus.textContent = "Sending…";
  try {
    const result = await postJson("api/notify-me", {
      title: "Push Codelab",
      body: `Sent by the server at ${new Date().toLocaleTimeString()}.`,
      // The server builds the declarative JSON: it opens this page when clicked.
      declarative: declarativeOption.checked,
    });
    notifyStatus.textContent = result.ok
      ? "Sent. The notification should appear in a moment."
      : `Not sent: ${result.reason || result.statusCode}`;
  } catch (error) {
    notifyStatus.textContent = `Not sent: ${error.message}`;
  }
  notifyMeButton.disabled = false;
}

async function initializeUI() {
  pushButton.addEventListener("click", () => {
    pushButton.disabled = true;
    if (isSubscribed) {
      unsubscribeUser();
    } else {
      subscribeUser();
    }
  });
  notifyMeButton.addEventListener("click", notifyMe);

  const response = await fetch("api/vapid-public-key", { credentials: "same-origin" });
  applicationServerPublicKey = (await response.json()).publicKey;

  const subscription = await swRegistration.pushManager.getSubscription();
  isSubscribed = subscription !== null;
  console.log(isSubscribed ? "User IS subscribed." : "User is NOT subscribed.");
  if (subscription && Notification.permission !== "denied") {
    // Re-sends an existing subscription so the server has it even after its data was reset.
    try {
      await updateSubscriptionOnServer(subscription);
    } catch (error) {
      console.error("Error telling the server", error);
    }
  }
  updateBtn();
}

if ("serviceWorker" in navigator && "PushManager" in window) {
  console.log("Service Worker and Push are supported");
  navigator.serviceWorker
    .register("sw.js")
    .then((registration) => {
      console.log("Service Worker is registered", registration);
      swRegistration = registration;
      return initializeUI();
    })
    .catch((error) => {
      console.error("Service Worker Error", error);
    });
} else {
  console.warn("Push messaging is not supported");
  pushButton.textContent = "Push Not Supported";
}
