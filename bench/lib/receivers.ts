// Receiver keys for the bench: 1,000 P-256 key pairs and auth secrets (RFC 8291 section 2),
// reused across distinct endpoints. The sender's cost is per message, whoever receives it.

import type * as Ece from "../../packages/ece/src/index.ts";
import { load } from "./workspace.ts";

export interface ReceiverKeys {
  p256dh: string;
  auth: string;
}

export async function receiverKeys(count = 1000): Promise<ReceiverKeys[]> {
  const ece = await load<typeof Ece>("sender", "@swp/ece");
  return Promise.all(
    Array.from({ length: count }, async () => {
      const k = await ece.generateSubscriptionKeys();
      return { p256dh: ece.base64urlEncode(k.uaPublic), auth: ece.base64urlEncode(k.authSecret) };
    }),
  );
}

/** The ~250-byte JSON payload every section sends. */
export const PAYLOAD = JSON.stringify({ title: "Bench", body: "x".repeat(200) });
