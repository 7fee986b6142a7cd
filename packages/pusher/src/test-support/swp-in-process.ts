import type { CliIo } from "../cli/lib/io.ts";
import { run } from "../cli/run.ts";

/** What one in-process `swp` run printed, and its exit status. */
export interface SwpOutcome {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `swp …args` in this process with collected output and exactly `env` as its
 * environment (nothing of the developer's shell). The clock moves 1 s per reading.
 */
export async function swpInProcess(
  args: string[],
  env: Record<string, string | undefined>,
  o: { stdin?: string } = {},
): Promise<SwpOutcome> {
  let stdout = "";
  let stderr = "";
  let t = 0;
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false, columns: 80 },
    stdin: (async function* () {
      if (o.stdin !== undefined) yield new TextEncoder().encode(o.stdin);
    })(),
    env,
    now: () => (t += 1000),
  };
  const status = await run(args, io);
  return { status, stdout, stderr };
}
