// Runs a bench step in a child process (tsx-loaded, IPC): its CPU, memory and event loop
// are its own. Children post { progress } while they work and one { result } at the end.

import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { progress } from "./progress.ts";

const PROFILE_ENV = "BENCH_CPU_PROF";
const profileDir = process.env[PROFILE_ENV];

export interface ChildResult {
  [key: string]: unknown;
}

/** Forks `script` (relative to bench/lib), sends it `args`; resolves with its result. */
export function runChild<T extends ChildResult>(
  script: string,
  args: unknown,
  label: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
      execArgv: [
        "--import",
        "tsx",
        // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each measured child, for `--cpu-prof`
        // viewers (Chrome DevTools, speedscope).
        ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
      ],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.send({ args });
    let result: T | undefined;
    child.on("message", (m: { progress?: string; result?: T }) => {
      if (m.progress) progress(`${label}: ${m.progress}`);
      if (m.result) result = m.result;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (result && code === 0) resolve(result);
      else reject(new Error(`${label}: the child process exited with ${code} and no result`));
    });
  });
}

/** The fake push service in a child process. */
export interface ServiceChild {
  origin: string;
  ca: string;
  /** The service's CPU time so far, µs. */
  cpuMicros(): Promise<number>;
  stop(): void;
}

export function startServiceChild(): Promise<ServiceChild> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(
      fileURLToPath(new URL("./service-child.ts", import.meta.url)),
      [],
      { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] },
    );
    child.once("error", reject);
    child.once("message", (m: { origin: string; ca: string }) => {
      resolve({
        origin: m.origin,
        ca: m.ca,
        cpuMicros: () =>
          new Promise<number>((answer) => {
            child.once("message", (r: { cpuMicros: number }) => answer(r.cpuMicros));
            child.send({ cpu: true });
          }),
        stop: () => child.disconnect(),
      });
    });
  });
}
