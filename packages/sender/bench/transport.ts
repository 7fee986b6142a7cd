// Transport-only benchmark: the same pre-built push request POSTed 20,000 times with 64 in
// flight to the fake push service running in another process, through each transport
// option, to back the choice of node:http2 for HTTP/2 origins and undici pools for HTTP/1.1
// (ARCHITECTURE.md "Sending"). No encryption in the loop: this is the transport's cost.
//
//   npx tsx bench/transport.ts [requests]

import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createFetchTransport, createNodeTransport, type Transport } from "@swp/sender";
import { Agent, Pool, fetch as undiciFetch } from "undici";

const REQUESTS = Number(process.argv[2] ?? 20_000);
const IN_FLIGHT = 64;

interface Service {
  origin: string;
  ca: string;
  endpoint: string;
  stop(): void;
}

function startService(http1: boolean): Promise<Service> {
  return new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(new URL("./service.ts", import.meta.url)),
      http1 ? ["http1"] : [],
      {
        execArgv: ["--import", "tsx"],
      },
    );
    child.once("message", (m) =>
      resolve({ ...(m as Omit<Service, "stop">), stop: () => child.disconnect() }),
    );
    child.once("error", reject);
  });
}

interface Row {
  transport: string;
  "requests/s": number;
  "client CPU µs/request": number;
}

async function measure(
  name: string,
  transport: Transport,
  service: Service,
): Promise<Omit<Row, "transport">> {
  const url = new URL(service.endpoint);
  const body = new Uint8Array(250);
  const headers = {
    TTL: "60",
    "Content-Encoding": "aes128gcm",
    "Content-Type": "application/octet-stream",
  };
  const one = async () => {
    const r = await transport.request({ origin: url.origin, path: url.pathname, headers, body });
    if (r.statusCode !== 201) throw new Error(`${name}: HTTP ${r.statusCode}`);
  };
  const run = async (n: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next++ < n) await one();
      }),
    );
  };
  await run(2000); // warm-up
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run(REQUESTS);
  const perSecond = REQUESTS / ((performance.now() - t0) / 1000);
  const cpu = process.cpuUsage(cpu0);
  await transport.close?.();
  return {
    "requests/s": Math.round(perSecond),
    "client CPU µs/request": Math.round((cpu.user + cpu.system) / REQUESTS),
  };
}

function undiciPoolTransport(service: Service, allowH2: boolean): Transport {
  const pool = new Pool(service.origin, {
    connections: IN_FLIGHT,
    allowH2,
    connect: { ca: service.ca },
  });
  return {
    async request({ path, headers, body }) {
      const r = await pool.request({ path, method: "POST", headers, body });
      await r.body.arrayBuffer();
      return { statusCode: r.statusCode, headers: {}, body: new Uint8Array() };
    },
    close: () => pool.close(),
  };
}

const rows: Row[] = [];
const service = await startService(false);
const opts = { ca: service.ca, allowHosts: ["127.0.0.1"], perOriginConnections: IN_FLIGHT };
rows.push({
  transport: "node transport → HTTP/2 (one node:http2 session)",
  ...(await measure("h2", createNodeTransport(opts), service)),
});
rows.push({
  transport: "node transport, http2: false → undici Pool (HTTP/1.1)",
  ...(await measure("h1", createNodeTransport({ ...opts, http2: false }), service)),
});
rows.push({
  transport: "undici Pool with allowH2",
  ...(await measure("undici-h2", undiciPoolTransport(service, true), service)),
});
const agent = new Agent({ connect: { ca: service.ca }, connections: IN_FLIGHT });
rows.push({
  transport: "createFetchTransport(undici fetch, HTTP/1.1)",
  ...(await measure(
    "fetch",
    createFetchTransport((u, i) => undiciFetch(u, { ...i, dispatcher: agent })),
    service,
  )),
});
await agent.close();
service.stop();
console.log(
  `transport bench: ${REQUESTS} POSTs of 250 bytes, ${IN_FLIGHT} in flight, fake push service (HTTP/2 + HTTP/1.1) in another process`,
);
console.table(rows);
