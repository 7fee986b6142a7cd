// Builds a real aes128gcm + VAPID request for the fake service's own tests, from ece and vapid
// alone: @swp/testing cannot import @swp/sender (the sender's tests import this package).

import { base64urlDecode, encrypt } from "@swp/ece";
import { createVapid, generateVapidKeys, type Vapid, type VapidKeys } from "@swp/vapid";
import type { IssuedSubscription } from "../fake-push-service.ts";

let keys: Promise<VapidKeys> | undefined;

export async function testVapid(): Promise<{ vapid: Vapid; keys: VapidKeys }> {
  keys ??= generateVapidKeys();
  const k = await keys;
  return { vapid: createVapid({ keys: k, subject: "mailto:tests@example.com" }), keys: k };
}

export interface TestRequest {
  headers: Record<string, string>;
  body: Uint8Array;
}

export async function testRequest(
  subscription: Pick<IssuedSubscription, "endpoint" | "keys">,
  text: string,
  vapid: Vapid,
): Promise<TestRequest> {
  const { body } = await encrypt(new TextEncoder().encode(text), {
    uaPublic: base64urlDecode(subscription.keys.p256dh),
    authSecret: base64urlDecode(subscription.keys.auth),
  });
  return {
    headers: {
      TTL: "60",
      "Content-Encoding": "aes128gcm",
      "Content-Type": "application/octet-stream",
      ...(await vapid.headers(subscription.endpoint)),
    },
    body,
  };
}
