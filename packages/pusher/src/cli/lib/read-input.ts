import { readFile } from "node:fs/promises";
import { InputError } from "./input-error.ts";
import type { CliIo } from "./io.ts";
import { UsageError } from "./usage-error.ts";

/** Reads all of standard input as UTF-8 text. */
export async function readStdin(io: CliIo): Promise<string> {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of io.stdin) {
    chunks.push(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
  }
  chunks.push(decoder.decode());
  return chunks.join("");
}

/**
 * The text of a `--subscription` value: JSON given inline (it starts with `{`), `-` for
 * standard input, or else the path of a file holding the JSON.
 */
export async function readSubscriptionArgument(
  value: string | undefined,
  io: CliIo,
): Promise<string> {
  if (value === undefined || value === "") {
    throw new UsageError(
      "--subscription is required (a JSON file, inline JSON, or - for standard input)",
    );
  }
  if (value.trimStart().startsWith("{")) return value;
  if (value === "-") return readStdin(io);
  try {
    return await readFile(value, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new InputError(`cannot read subscription file ${value}: ${code}`, { cause });
  }
}

/** The message positional: exactly one, `-` meaning standard input. */
export async function readMessageArgument(positionals: string[], io: CliIo): Promise<string> {
  if (positionals.length === 0) throw new UsageError("missing <message>");
  if (positionals.length > 1) {
    throw new UsageError(
      `expected one <message>, got ${positionals.length} arguments (quote the message)`,
    );
  }
  const message = positionals[0]!;
  return message === "-" ? readStdin(io) : message;
}
