// The Node entry: everything of the fetch-only entry (request building, the fetch transport,
// results, options, errors and the shared vocabulary), plus delivery on Node: createSender
// with its pools, lanes and worker threads, and the Node transport (undici, node:http2).
export * from "./fetch-entry.ts";
export { createNodeTransport, type NodeTransportOptions } from "./node-transport.ts";
export type { SendAllRun, SendAllSummary, SendItem } from "./send-all.ts";
export { createSender, type SendAllOptions, type Sender, type SenderOptions } from "./sender.ts";
