import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isSwpError } from "../errors.ts";
import type { Pusher } from "../pusher.ts";
import { keysCommand } from "./commands/keys.ts";
import { notifyAllCommand } from "./commands/notify-all.ts";
import { sendCommand } from "./commands/send.ts";
import { subscriptionsCommand } from "./commands/subscriptions.ts";
import { workerCommand } from "./commands/worker.ts";
import { cliErrorText, cliMessage } from "./lib/cli-message.ts";
import type { Command } from "./lib/command.ts";
import { pusherFrom } from "./lib/common-options.ts";
import { ConfigError } from "./lib/config-error.ts";
import { DataError } from "./lib/data-error.ts";
import { ExitCode } from "./lib/exit-codes.ts";
import { commandHelp, commandUsage, mainHelp } from "./lib/help.ts";
import { InputError } from "./lib/input-error.ts";
import type { CliIo } from "./lib/io.ts";
import { printable } from "./lib/printable.ts";
import { fromParseArgsError, UsageError } from "./lib/usage-error.ts";

/** Every `swp` command, in the order `swp --help` lists them. */
export const commands: readonly Command[] = [
  keysCommand,
  sendCommand,
  subscriptionsCommand,
  notifyAllCommand,
  workerCommand,
];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** The exit status for an error from a command, by kind and `code`. */
function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return ExitCode.USAGE;
  if (error instanceof InputError) return ExitCode.NO_INPUT;
  if (error instanceof ConfigError) return ExitCode.CONFIG;
  if (error instanceof DataError) return ExitCode.DATA;
  if (!isSwpError(error)) return ExitCode.SOFTWARE;
  const code = error.code;
  if (
    code.startsWith("ERR_SUBSCRIPTION_") ||
    code.startsWith("ERR_DECLARATIVE_") ||
    code === "ERR_PUSH_PAYLOAD_TOO_LARGE"
  )
    return ExitCode.DATA;
  if (
    code === "ERR_STORE_SESSION_ID" ||
    code === "ERR_PUSHER_UNKNOWN_SESSION" ||
    code === "ERR_PUSH_INVALID_OPTION"
  )
    return ExitCode.USAGE;
  if (
    code === "ERR_PUSHER_NO_SUBJECT" ||
    code === "ERR_VAPID_SUBJECT" ||
    code === "ERR_PUSHER_NO_POSTGRES" ||
    code === "ERR_PUSHER_MISSING_PACKAGE" ||
    code === "ERR_PUSHER_DISTRIBUTED_STORE"
  )
    return ExitCode.CONFIG;
  if (code.startsWith("ERR_BROADCAST_")) return ExitCode.IO;
  if (code.startsWith("ERR_VAPID_") || code.startsWith("ERR_STORE_")) return ExitCode.IO;
  return ExitCode.SOFTWARE;
}

/**
 * Runs `swp` with `argv` (the arguments after `swp`) and resolves with the exit status.
 * Never throws and never prints a stack trace, except with `SWP_DEBUG=1` for errors that are
 * not the user's (exit status 70).
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    const command = commands.find((c) => c.name === topic);
    if (topic !== undefined && !command) {
      io.stderr.write(`swp: unknown command '${printable(topic)}'\n\n${mainHelp(commands)}`);
      return ExitCode.USAGE;
    }
    if (name === undefined) {
      io.stderr.write(mainHelp(commands));
      return ExitCode.USAGE;
    }
    io.stdout.write(command ? commandHelp(command) : mainHelp(commands));
    return ExitCode.OK;
  }
  if (name === "--version" || name === "-V") {
    io.stdout.write(`${version()}\n`);
    return ExitCode.OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const hint = name.startsWith("-") ? " (the command comes first: swp <command> [options])" : "";
    io.stderr.write(`swp: unknown command '${printable(name)}'${hint}\n\n${mainHelp(commands)}`);
    return ExitCode.USAGE;
  }

  let pusher: Promise<Pusher> | undefined;
  // Known for sure only once parsed; until then, so that argument errors come as JSON too:
  let json = rest.includes("--json");
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: command.options as NonNullable<Parameters<typeof parseArgs>[0]>["options"],
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw fromParseArgsError(error) ?? error;
    }
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    json = values.json === true;
    if (values.help === true) {
      io.stdout.write(commandHelp(command));
      return ExitCode.OK;
    }
    return await command.run({
      values,
      positionals: parsed.positionals,
      io,
      json,
      pusher: () => {
        // Commands without --key never sign, so the key variables are not theirs to check.
        pusher ??= pusherFrom(values, io, "key" in command.options);
        return pusher;
      },
    });
  } catch (error) {
    const status = exitCodeFor(error);
    // One prefix per line: messages never carry their own (see cli-message.ts).
    io.stderr.write(`swp ${command.name}: ${cliMessage(error)}\n`);
    if (status === ExitCode.USAGE) io.stderr.write(`\n${commandUsage(command)}`);
    if (status === ExitCode.SOFTWARE) {
      io.stderr.write(
        io.env.SWP_DEBUG
          ? `${(error as Error)?.stack ?? ""}\n`
          : "(an unexpected error: SWP_DEBUG=1 shows its stack trace)\n",
      );
    }
    if (json) {
      const code = isSwpError(error)
        ? error.code
        : status === ExitCode.USAGE
          ? "ERR_USAGE"
          : undefined;
      io.stdout.write(
        `${JSON.stringify({ error: { ...(code ? { code } : {}), message: cliErrorText(error) } })}\n`,
      );
    }
    return status;
  } finally {
    const opened = await pusher?.catch(() => undefined);
    await opened?.close().catch(() => undefined);
  }
}
