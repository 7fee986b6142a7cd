import type { Pusher } from "../../pusher.ts";
import type { CliIo } from "./io.ts";

/** One option of a command, as `node:util` `parseArgs` takes it, plus its help text. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Shown after the option in the help (`--ttl <seconds>`). */
  valueName?: string;
  description: string;
}

/** The parsed command line handed to a command. */
export interface CommandContext {
  /** Option values by long name (strings, booleans, or arrays for repeatable options). */
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  io: CliIo;
  /** `--json`: one JSON document on standard output instead of text. */
  json: boolean;
  /** The `Pusher` built from the common options, created on first call, closed at exit. */
  pusher(): Promise<Pusher>;
}

/** A subcommand of `swp`, one per file under `commands/`. */
export interface Command {
  name: string;
  /** One line for `swp --help`. */
  summary: string;
  /** The synopsis lines, without the leading `swp `. */
  usage: string[];
  /** A paragraph or two for `swp <command> --help`. */
  description: string;
  /** Options of this command, by long name, including the common ones it accepts. */
  options: Record<string, OptionSpec>;
  /** Runs the command; resolves with the exit status. Throws `UsageError` for bad arguments. */
  run(context: CommandContext): Promise<number>;
}
