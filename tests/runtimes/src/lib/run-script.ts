import { execFile } from "node:child_process";
import type { GuestReport } from "../guest/protocol.ts";

/**
 * Runs a guest script with a runtime binary and returns its report (the `SWP_REPORT` line of
 * its output). Bounded by `timeout`; the whole output goes into the error when no report came.
 */
export function runGuestScript(
  binary: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeout?: number },
): Promise<GuestReport> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      {
        cwd: options.cwd,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
        timeout: options.timeout ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const line = stdout.split("\n").find((l) => l.startsWith("SWP_REPORT "));
        if (line) {
          resolve(JSON.parse(line.slice("SWP_REPORT ".length)) as GuestReport);
          return;
        }
        reject(
          new Error(
            `${binary} ${args.join(" ")} gave no report (${error?.message ?? "exit 0"}):\n${stdout}\n${stderr}`,
          ),
        );
      },
    );
  });
}
