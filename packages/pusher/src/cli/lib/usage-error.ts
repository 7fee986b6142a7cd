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
    default: {
      // "Option '--ttl <value>' argument missing" and the like: keep the first sentence.
      const first = (message.split(/\.\s|\n/)[0] ?? message).replace(/\.$/, "");
      return new UsageError(first.charAt(0).toLowerCase() + first.slice(1));
    }
  }
}
