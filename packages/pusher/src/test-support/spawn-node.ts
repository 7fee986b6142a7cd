import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The package root (packages/pusher). */
export const packageRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Fails with a clear message when the package has not been built (the tests need dist/). */
export function assertBuilt(): void {
  if (!existsSync(new URL("../../dist/cli/main.js", import.meta.url))) {
    throw new Error(
      "packages/pusher/dist is missing: build first (npx tsc -p tsconfig.build.json)",
    );
  }
}

/** Runs `node …args` as a real process and collects its exit status and output. */
export function spawnNode(
  args: string[],
  o: { cwd?: string; env?: Record<string, string | undefined>; stdin?: string } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: o.cwd ?? packageRoot,
      // A clean environment: no SWP_* of the developer's shell leaks into the tests.
      env: { PATH: process.env.PATH, ...o.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(o.stdin ?? "");
  });
}
