import { endpointOrigin } from "../../lib/verbose-line.ts";
import type { Command } from "../lib/command.ts";
import { outputOptions, storeOptions } from "../lib/common-options.ts";
import { ExitCode } from "../lib/exit-codes.ts";
import { printable } from "../lib/printable.ts";
import { readSubscriptionArgument } from "../lib/read-input.ts";
import { UsageError } from "../lib/usage-error.ts";

function groupFrom(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--group must be an integer, got '${text}'`);
  }
  return Number(text);
}

function oneSessionId(positionals: string[], action: string): string {
  // No "subscriptions add:" in front: run.ts prefixes every error line once, with the command.
  if (positionals.length === 0) throw new UsageError(`missing <session-id> after '${action}'`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  return positionals[0]!;
}

/** `swp subscriptions list|add|remove|count`: the stored subscriptions. */
export const subscriptionsCommand: Command = {
  name: "subscriptions",
  summary: "list, add, remove or count stored subscriptions",
  usage: [
    "subscriptions list [--group N] [--json]",
    "subscriptions add <session-id> --subscription <file|json|-> [--group N]",
    "subscriptions remove <session-id>",
    "subscriptions count [--group N]",
  ],
  description:
    "Works on subscriptors.db (or --db). list prints one line per subscription: session id, " +
    "group, endpoint origin and last update, tab-separated; with --json, a JSON array (session " +
    "id, group, endpoint, dates; never the subscription's keys). add stores a subscription " +
    "under a session id (group 0 unless --group); remove deletes it (exit status 1 if there " +
    "was none).",
  options: {
    group: {
      type: "string",
      short: "g",
      valueName: "N",
      description: "the group (list, count: only this group)",
    },
    subscription: {
      type: "string",
      short: "s",
      valueName: "file|json|-",
      description:
        "add: the browser's PushSubscription, a JSON file, inline JSON, or - for standard input",
    },
    ...storeOptions,
    ...outputOptions,
  },
  async run({ values, positionals, io, json, pusher }) {
    const [action, ...rest] = positionals;
    const groupId = groupFrom(values.group);
    switch (action) {
      case "list": {
        if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
        const rows = (await pusher()).listSubscriptions(groupId === undefined ? {} : { groupId });
        // Streamed row by row: a large table is never held in memory.
        let first = true;
        if (json) io.stdout.write("[");
        for await (const row of rows) {
          if (json) {
            const entry = {
              sessionId: row.sessionId,
              groupId: row.groupId,
              endpoint: row.subscription.endpoint,
              createdAt: row.createdAt.toISOString(),
              updatedAt: row.updatedAt.toISOString(),
            };
            io.stdout.write(`${first ? "" : ","}\n  ${JSON.stringify(entry)}`);
          } else {
            // Session ids come from browsers' cookies: a forged one must not reach the
            // terminal raw, nor add a column or a row (tabs and newlines are escaped too).
            const origin = endpointOrigin(row.subscription.endpoint);
            io.stdout.write(
              `${printable(row.sessionId)}\t${row.groupId}\t${printable(origin)}\t${row.updatedAt.toISOString()}\n`,
            );
          }
          first = false;
        }
        if (json) io.stdout.write(first ? "]\n" : "\n]\n");
        return ExitCode.OK;
      }
      case "count": {
        if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
        const count = await (await pusher()).countSubscriptions(
          groupId === undefined ? {} : { groupId },
        );
        io.stdout.write(json ? `${JSON.stringify({ count })}\n` : `${count}\n`);
        return ExitCode.OK;
      }
      case "add": {
        const sessionId = oneSessionId(rest, "add");
        const subscription = await readSubscriptionArgument(
          values.subscription as string | undefined,
          io,
        );
        await (await pusher()).newSubscription(sessionId, subscription, groupId ?? 0);
        io.stdout.write(json ? `${JSON.stringify({ added: true })}\n` : "added\n");
        return ExitCode.OK;
      }
      case "remove": {
        const sessionId = oneSessionId(rest, "remove");
        const removed = await (await pusher()).removeSubscription(sessionId);
        if (json) io.stdout.write(`${JSON.stringify({ removed })}\n`);
        else io.stdout.write(removed ? "removed\n" : "no subscription for this session id\n");
        return removed ? ExitCode.OK : 1;
      }
      case undefined:
        throw new UsageError("missing action: list, add, remove or count");
      default:
        throw new UsageError(`unknown action '${action}': expected list, add, remove or count`);
    }
  },
};
