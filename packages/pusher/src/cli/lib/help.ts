import type { Command, OptionSpec } from "./command.ts";

function optionLine(name: string, spec: OptionSpec): [string, string] {
  const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.valueName ? ` <${spec.valueName}>` : ""}`;
  return [flag, spec.description];
}

/** Wraps `text` to `width` columns, indenting continuation lines by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && line.length + 1 + word.length > width - indent) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}

/** The full help of one command: usage, description, options. */
export function commandHelp(command: Command): string {
  const usage = command.usage
    .map((u, i) => `${i === 0 ? "Usage: " : "       "}swp ${u}`)
    .join("\n");
  const rows = Object.entries(command.options).map(([name, spec]) => optionLine(name, spec));
  const pad = Math.min(34, Math.max(...rows.map(([flag]) => flag.length)) + 2);
  const options = rows
    .map(([flag, text]) => {
      const head =
        flag.length + 2 > pad ? `  ${flag}\n${" ".repeat(pad + 2)}` : `  ${flag.padEnd(pad)}`;
      return head + wrap(text, 100, pad + 2);
    })
    .join("\n");
  return `${usage}\n\n${wrap(command.description, 100, 0)}\n\nOptions:\n${options}\n`;
}

/** The short usage shown after an argument error. */
export function commandUsage(command: Command): string {
  return `${command.usage.map((u, i) => `${i === 0 ? "Usage: " : "       "}swp ${u}`).join("\n")}\nRun 'swp ${command.name} --help' for details.\n`;
}

/** `swp --help`: the commands. */
export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const list = commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join("\n");
  return [
    "swp: send Web Push notifications from the command line (Solid Web Push).",
    "",
    "Usage: swp <command> [options]",
    "       swp <command> --help",
    "",
    "Commands:",
    list,
    "",
    "Keys and subscriptions live in private_key.pem, public_key.pem and subscriptors.db in the",
    "current directory (or --dir, or $SWP_DATA_DIR); $VAPID_PRIVATE_KEY and $VAPID_PUBLIC_KEY,",
    "the base64url keys web-push uses, replace the key file when set. Sending needs a VAPID",
    'subject: --subject, $SWP_SUBJECT or $VAPID_SUBJECT, e.g. "mailto:you@example.com".',
    "",
    "Exit status: 0 success; 1-63 that many messages failed; 64 bad arguments; 65 bad",
    "subscription or message; 66 unreadable input file; 74 key file or database error; 78",
    "missing or invalid configuration (subject, keys, optional package); 70 unexpected error.",
    "",
  ].join("\n");
}
