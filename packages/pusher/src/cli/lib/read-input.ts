import { readFile } from "node:fs/promises";
import { createDeclarativeMessage, type DeclarativeMessage } from "@swp/declarative";
import { DataError } from "./data-error.ts";
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
 * The text of a JSON argument: JSON given inline (it starts with `{`), `-` for standard
 * input, or else the path of a file holding the JSON. `what` names it in errors.
 */
async function readJsonText(value: string, io: CliIo, what: string): Promise<string> {
  if (value.trimStart().startsWith("{")) return value;
  if (value === "-") return readStdin(io);
  try {
    return await readFile(value, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new InputError(`cannot read ${what} file ${value}: ${code}`, { cause });
  }
}

/** The text of a `--subscription` value (a file, inline JSON, or `-`). */
export async function readSubscriptionArgument(
  value: string | undefined,
  io: CliIo,
): Promise<string> {
  if (value === undefined || value === "") {
    throw new UsageError(
      "--subscription is required (a JSON file, inline JSON, or - for standard input)",
    );
  }
  return readJsonText(value, io, "subscription");
}

/**
 * The message to send: the `<message>` positional, or with `--declarative` a Declarative
 * Web Push message built (and checked: `DeclarativeError`, exit status 65) from its JSON.
 */
export async function readMessageOrDeclarative(
  values: Record<string, unknown>,
  positionals: string[],
  io: CliIo,
): Promise<string | DeclarativeMessage> {
  const declarative = values.declarative as string | undefined;
  if (declarative === undefined) return readMessageArgument(positionals, io);
  if (positionals.length > 0) {
    throw new UsageError("--declarative replaces <message>: give one or the other");
  }
  if (declarative === "") throw new UsageError("--declarative needs a JSON file, inline JSON or -");
  if (declarative === "-" && values.subscription === "-") {
    throw new UsageError("standard input can carry --subscription or --declarative, not both");
  }
  const text = await readJsonText(declarative, io, "declarative message");
  let init: unknown;
  try {
    init = JSON.parse(text);
  } catch (cause) {
    throw new DataError(`--declarative is not JSON: ${(cause as Error).message}`, { cause });
  }
  return createDeclarativeMessage(init as Parameters<typeof createDeclarativeMessage>[0]);
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
