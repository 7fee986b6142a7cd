/**
 * A mistake in the command line: printed as one line plus the command's usage, never with a
 * stack trace, and ends the process with exit status 64.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Turns a `node:util` `parseArgs` error into a short one-line `UsageError`. */
export function fromParseArgsError(error: unknown): UsageError | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS_")) return undefined;
  const message = (error as Error).message;
  const quoted = /'([^']*)'/.exec(message)?.[1];
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return new UsageError(`unknown option ${quoted ?? ""}`.trim());
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return new UsageError(`unexpected argument ${quoted ? `'${quoted}'` : ""}`.trim());
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const missing = /^Option '(-[^' ]+)[^']*' argument (missing|is ambiguous)/.exec(message);
      if (missing?.[2] === "missing") return new UsageError(`option ${missing[1]} needs a value`);
      if (missing) {
        return new UsageError(
          `option ${missing[1]} needs a value (write ${missing[1]}=<value> for one that starts with -)`,
        );
      }
      return new UsageError(firstSentence(message));
    }
    default: {
      return new UsageError(firstSentence(message));
    }
  }
}

/** The first sentence of a Node message, lower-cased, for a one-line error. */
function firstSentence(message: string): string {
  const first = (message.split(/\.\s|\n/)[0] ?? message).replace(/\.$/, "");
  return first.charAt(0).toLowerCase() + first.slice(1);
}
