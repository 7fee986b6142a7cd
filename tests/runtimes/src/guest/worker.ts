// The guest as a Cloudflare Worker (module syntax), bundled by esbuild with the
// workerd/worker/browser conditions and served by `workerd serve` without nodejs_compat. Node
// POSTs the input; the Worker runs the checks (its fetch reaches Node's receiver on
// 127.0.0.1 through the config's loopback-only network service) and answers the report.
import * as declarative from "@swp/declarative";
import * as ece from "@swp/ece";
import * as sender from "@swp/sender";
import * as vapid from "@swp/vapid";
import { runChecks } from "./checks.ts";
import type { GuestInput } from "./protocol.ts";

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== "POST") return new Response("ready");
    const input = (await request.json()) as GuestInput;
    const report = await runChecks(input, { ece, vapid, sender, declarative });
    return new Response(JSON.stringify(report), {
      headers: { "content-type": "application/json" },
    });
  },
};
