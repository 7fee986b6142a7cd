import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";

/**
 * The workerd configuration: one module Worker from `worker.js`, a compatibility date before
 * mid-August 2026 and no compatibility flags (so no `nodejs_compat`: `node:*` modules do not
 * exist), served on a loopback port. Its fetch() goes out through a network service that
 * allows local (loopback) addresses only: Node's receiver, and nothing on the internet.
 */
function capnpConfig(port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .guest),
    (name = "loopback-only", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const guest :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2026-08-01",
  globalOutbound = "loopback-only",
);
`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A running `workerd serve`; `stderr` collects its log for failure messages. */
export interface Workerd {
  url: string;
  stderr: () => string;
  stop(): Promise<void>;
}

/**
 * Writes the config next to `dir/worker.js`, starts `workerd serve` and waits until the Worker
 * answers (bounded: a workerd that never listens fails the run instead of hanging it).
 */
export async function startWorkerd(binary: string, dir: string): Promise<Workerd> {
  const port = await freePort();
  const config = join(dir, "config.capnp");
  await writeFile(config, capnpConfig(port));
  const child: ChildProcess = spawn(binary, ["serve", config, "--verbose"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (chunk) => (log += chunk));
  child.stderr?.on("data", (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}):\n${log}`);
    try {
      const response = await fetch(url);
      if ((await response.text()) === "ready") break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`workerd did not answer on ${url} within 20 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    stderr: () => log,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
