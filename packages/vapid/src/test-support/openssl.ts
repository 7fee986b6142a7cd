// Runs the system openssl to make fixtures at test time (no key material in the repository).
import { execFileSync } from "node:child_process";

export function openssl(args: string[], input?: string): string {
  return execFileSync("openssl", args, {
    stdio: ["pipe", "pipe", "pipe"],
    encoding: "utf8",
    ...(input === undefined ? {} : { input }),
  });
}
