/*
 * The companion page: message every stored subscription and show the summary, or send one
 * message to a pasted subscription through the codelab-compatible endpoint.
 */

async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let answer = {};
  try {
    answer = JSON.parse(text);
  } catch {
    answer = { error: text };
  }
  if (!response.ok) {
    throw new Error(answer.error || `${path} answered ${response.status}`);
  }
  return answer;
}

const notifyAllForm = document.querySelector(".js-notify-all-form");
const notifyAllButton = document.querySelector(".js-notify-all-btn");
const summary = document.querySelector(".js-summary");

notifyAllForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  notifyAllButton.disabled = true;
  try {
    const form = new FormData(notifyAllForm);
    const result = await postJson("api/notify-all", {
      title: form.get("title"),
      body: form.get("body"),
      declarative: form.get("declarative") === "on",
    });
    summary.querySelector(".js-sent").textContent = String(result.sent);
    summary.querySelector(".js-gone").textContent = String(result.gone);
    summary.querySelector(".js-failed").textContent = String(result.failed);
    summary.classList.remove("is-invisible");
  } catch (error) {
    console.error(error);
    window.alert(`Sending failed: ${error.message}`);
  }
  notifyAllButton.disabled = false;
});

const sendForm = document.querySelector(".js-send-form");
const sendButton = document.querySelector(".js-send-btn");
const sendStatus = document.querySelector(".js-send-status");
const subscriptionField = document.querySelector("#push-subscription");
const dataField = document.querySelector("#push-data");

// Like the original companion, remember the last subscription and text between visits.
try {
  const last = JSON.parse(localStorage.getItem("last-known-details") || "{}");
  if (typeof last.subscription === "string") subscriptionField.value = last.subscription;
  if (typeof last.data === "string") dataField.value = last.data;
} catch {
  // Nothing usable stored.
}

sendForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  sendButton.disabled = true;
  sendStatus.textContent = "";
  try {
    const text = subscriptionField.value.trim();
    if (!text) throw new Error("Paste a subscription first.");
    let subscription;
    try {
      subscription = JSON.parse(text);
    } catch {
      throw new Error("The subscription is not valid JSON.");
    }
    if (!subscription || typeof subscription.endpoint !== "string") {
      throw new Error("The subscription has no endpoint.");
    }
    // Consoles shorten long strings with an ellipsis; a copied endpoint with one is broken.
    if (subscription.endpoint.includes("…")) {
      throw new Error("The endpoint contains '…': copy the whole subscription from the page.");
    }
    localStorage.setItem(
      "last-known-details",
      JSON.stringify({ subscription: text, data: dataField.value }),
    );
    await postJson("api/send-push-msg", { subscription, data: dataField.value });
    sendStatus.textContent = "Sent.";
  } catch (error) {
    console.error(error);
    sendStatus.textContent = error.message;
  }
  sendButton.disabled = false;
});
