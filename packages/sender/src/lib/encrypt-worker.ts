// The encryption worker (node:worker_threads): receives packed batches of RFC 8291 jobs,
// encrypts each with @swp/ece (its node:crypto entry: a fresh P-256 key pair and ECDH per
// message, the CPU cost of a push), and answers with the packed bodies. It holds no VAPID
// key: signing stays on the main thread, once per audience.
//
// Loaded from the built file next to the pool (dist/lib/encrypt-worker.js).

import { parentPort } from "node:worker_threads";
import { encrypt } from "@swp/ece";
import {
  type BatchRequest,
  type BatchResponse,
  type JobFailure,
  packBodies,
  READY,
  unpackJobs,
} from "./encrypt-wire.ts";

const port = parentPort;
if (!port) throw new Error("encrypt-worker.js runs as a worker thread of @swp/sender only");

async function run(request: BatchRequest): Promise<void> {
  const jobs = unpackJobs(request.buffer);
  const bodies: Array<Uint8Array | undefined> = [];
  let headers: Record<number, Record<string, string>> | undefined;
  let failures: JobFailure[] | undefined;
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    try {
      const encrypted = await encrypt(job.plaintext, {
        uaPublic: job.uaPublic,
        authSecret: job.authSecret,
        encoding: job.encoding,
        padding: job.padding,
      });
      bodies.push(encrypted.body);
      if (job.encoding !== "aes128gcm") {
        headers ??= {};
        headers[i] = encrypted.headers;
      }
    } catch (error) {
      bodies.push(undefined);
      failures ??= [];
      failures.push({
        index: i,
        code: String((error as { code?: unknown }).code ?? "ERR_ECE_CRYPTO"),
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const buffer = packBodies(bodies);
  const response: BatchResponse = { id: request.id, buffer, headers, failures };
  port!.postMessage(response, [buffer]);
}

// Batches are handled one after the other: encryption is synchronous CPU work, so running
// two at once would only interleave them.
let queue = Promise.resolve();
port.on("message", (request: BatchRequest) => {
  queue = queue.then(() => run(request));
});
port.postMessage(READY);
