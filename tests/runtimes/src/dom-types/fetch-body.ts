// Compiled by `tsc -p tsconfig.dom.json` with the DOM library and no Node types, as a Worker
// or browser project would: TypeScript 5.9's DOM `BodyInit` accepts only
// `Uint8Array<ArrayBuffer>`, so these lines stop compiling if the request body or the fetch
// transport's body type widens again.
import { buildPushRequest, createFetchTransport, type PushSubscription } from "@swp/sender/fetch";
import type { Vapid } from "@swp/vapid";

export async function sendWithFetch(subscription: PushSubscription, vapid: Vapid): Promise<number> {
  const request = await buildPushRequest(subscription, "hello", { vapid });
  const response = await fetch(request.endpoint, request);
  const body: BodyInit = request.body;
  void body;
  return response.status;
}

export const transport = createFetchTransport(fetch);
