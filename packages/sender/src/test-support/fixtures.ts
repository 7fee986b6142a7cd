// Shared test fixtures: a VAPID signer and subscriptions whose private keys the test holds.

import { createECDH, type ECDH, randomBytes } from "node:crypto";
import type { PushSubscription } from "@swp/subscription";
import { base64urlEncode as encodeBase64Url } from "@swp/subscription";
import { createVapid, generateVapidKeys, type Vapid, type VapidKeys } from "@swp/vapid";

let keys: Promise<VapidKeys> | undefined;

export async function testVapid(): Promise<{ vapid: Vapid; keys: VapidKeys }> {
  keys ??= generateVapidKeys();
  const k = await keys;
  return { vapid: createVapid({ keys: k, subject: "mailto:tests@example.com" }), keys: k };
}

export interface TestReceiver {
  subscription: PushSubscription;
  ecdh: ECDH;
  authSecret: Uint8Array;
}

export function testReceiver(endpoint = "https://push.example.net/push/1"): TestReceiver {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const authSecret = new Uint8Array(randomBytes(16));
  return {
    subscription: {
      endpoint,
      keys: {
        p256dh: encodeBase64Url(new Uint8Array(ecdh.getPublicKey())),
        auth: encodeBase64Url(authSecret),
      },
    },
    ecdh,
    authSecret,
  };
}
