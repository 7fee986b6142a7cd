// The library's messages speak to programmers (`new Pusher({ subject })`, `allowHosts`); on
// the command line the same failures must name the flags and environment variables that fix
// them. This file is the one place where API words become CLI words.
import { isSwpError } from "../../errors.ts";
import { printable } from "./printable.ts";

/** What a missing optional package is needed for, in CLI words, by package name. */
const NEEDED_FOR: Record<string, string> = {
  "@swp/store-sqlite": "the subscriptions database (subscriptors.db, --db)",
  "@swp/store-postgres": "--postgres (or SWP_POSTGRES_URL)",
  "@swp/broadcast": "--distributed and swp worker",
};

/** The per-message options that are also flags of the same name (`--ttl`, …). */
const SEND_FLAGS = new Set(["ttl", "urgency", "topic", "encoding", "timeout", "retries"]);

/** API option names in the messages of the packages below, and the flag that sets each. */
const FLAG_WORDS: Array<[RegExp, string]> = [
  [/\blist the host in allowHosts\b/g, "pass --allow-host <host>"],
  [/\ballowHosts\b/g, "--allow-host"],
  [/\bpass allowLocalSubject: true\b/g, "pass --allow-local-subject"],
  [/\ballowLocalSubject\b/g, "--allow-local-subject"],
];

/**
 * The CLI's words for a library message: API option names become flags.
 *
 * @example
 * ```ts
 * cliWords("…; list the host in allowHosts to allow it") // "…; pass --allow-host <host> to allow it"
 * ```
 */
export function cliWords(text: string): string {
  let out = text;
  for (const [pattern, flag] of FLAG_WORDS) out = out.replace(pattern, flag);
  return out;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? "";
}

/**
 * The one line the CLI prints for `error` (without the `swp <command>: ` prefix): in CLI
 * words, cut to its first line, and {@link printable} (a message may quote user input).
 *
 * @example
 * ```ts
 * io.stderr.write(`swp send: ${cliMessage(error)}\n`)
 * ```
 */
export function cliMessage(error: unknown): string {
  return printable(cliErrorText(error));
}

/**
 * {@link cliMessage} before escaping: for JSON output, where `JSON.stringify` escapes.
 *
 * @example
 * ```ts
 * io.stdout.write(`${JSON.stringify({ error: { message: cliErrorText(error) } })}\n`)
 * ```
 */
export function cliErrorText(error: unknown): string {
  return cliWords(rewrite(error) ?? firstLine(error));
}

/** A message of the CLI's own for the errors whose fix is a flag or a variable. */
function rewrite(error: unknown): string | undefined {
  if (!isSwpError(error)) return undefined;
  switch (error.code) {
    case "ERR_PUSHER_NO_SUBJECT":
      return (
        'no VAPID subject: pass --subject "mailto:you@example.com" or set SWP_SUBJECT ' +
        "(or VAPID_SUBJECT); push services use it to contact you (RFC 8292 section 2.1)"
      );
    case "ERR_PUSHER_NO_POSTGRES":
      return "this needs PostgreSQL: pass --postgres postgres://user:password@host/db or set SWP_POSTGRES_URL";
    case "ERR_PUSHER_MISSING_PACKAGE": {
      const name = /optional package (@swp\/[a-z-]+)/.exec(error.message)?.[1];
      const needed = name === undefined ? undefined : NEEDED_FOR[name];
      if (!name || !needed) return undefined;
      return `${needed} needs the optional package ${name}: install it next to @swp/pusher (npm install ${name})`;
    }
    case "ERR_PUSH_INVALID_OPTION": {
      // The sender names the option first ("topic must be …"): name the flag instead.
      const message = firstLine(error);
      const option = /^([a-z]+)\b/.exec(message)?.[1];
      return option !== undefined && SEND_FLAGS.has(option) ? `--${message}` : undefined;
    }
    default:
      return undefined;
  }
}
