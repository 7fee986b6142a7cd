import type { PushResult } from "@swp/sender";
import { endpointOrigin } from "../../lib/verbose-line.ts";
import { cliMessage } from "../lib/cli-message.ts";
import type { Command } from "../lib/command.ts";
import {
  declarativeOption,
  deliveryOptions,
  keyOptions,
  outputOptions,
  sendOptionsFrom,
  storeOptions,
} from "../lib/common-options.ts";
import { failureExitCode } from "../lib/exit-codes.ts";
import { createProgressBar } from "../lib/progress-bar.ts";
import { readMessageOrDeclarative } from "../lib/read-input.ts";
import { UsageError } from "../lib/usage-error.ts";

/** Failures listed in the `--json` output; the counts are always complete. */
const MAX_LISTED_FAILURES = 1000;

/** `swp notify-all`: one message to every stored subscription (or one group's). */
export const notifyAllCommand: Command = {
  name: "notify-all",
  summary: "send a message to every stored subscription (or one group)",
  usage: [
    "notify-all [--group N] [--except <session-id>]... [--ttl N] [--urgency U] [--topic T] <message>",
    "notify-all --distributed --postgres <url> [--batch-size N] [--group N] … <message>",
    "notify-all --declarative <file|json|-> [--group N] …",
  ],
  description:
    "Sends <message> to every subscription in subscriptors.db (or --db), or only those of " +
    "--group, leaving out each --except session id. Gone subscriptions (404/410) are removed. " +
    "A progress bar is drawn on standard error when it is a terminal (--no-progress to hide " +
    "it); a one-line summary ends the run. Exit status: 0 when nothing failed, else the number " +
    "of failed messages (up to 63). Gone subscriptions are not failures. With --distributed " +
    "the audience is cut into batches queued in PostgreSQL and sent by `swp worker` processes " +
    "(on any machines); this command follows the broadcast and prints the same summary.",
  options: {
    group: {
      type: "string",
      short: "g",
      valueName: "N",
      description: "only the subscriptions of this group",
    },
    except: {
      type: "string",
      multiple: true,
      valueName: "session-id",
      description: "leave this session id out; repeatable",
    },
    "no-progress": { type: "boolean", description: "no progress bar, even on a terminal" },
    distributed: {
      type: "boolean",
      description:
        "queue the broadcast in PostgreSQL (--postgres) for `swp worker` processes and follow it to its end",
    },
    ...declarativeOption,
    "batch-size": {
      type: "string",
      valueName: "n",
      description: "with --distributed: subscriptions per batch (default 1000)",
    },
    ...deliveryOptions,
    ...keyOptions,
    ...storeOptions,
    ...outputOptions,
  },
  async run({ values, positionals, io, json, pusher }) {
    let groupId: number | undefined;
    if (values.group !== undefined) {
      const text = String(values.group);
      if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
        throw new UsageError(`--group must be an integer, got '${text}'`);
      }
      groupId = Number(text);
    }
    const send = sendOptionsFrom(values);
    const distributed = values.distributed === true;
    if (distributed && (send.timeout !== undefined || send.retries !== undefined)) {
      // They are the workers' own: say so rather than let the library name its options.
      throw new UsageError(
        "--timeout and --retries do not travel to the workers: with --distributed, give them to swp worker",
      );
    }
    let batchSize: number | undefined;
    if (values["batch-size"] !== undefined) {
      const text = String(values["batch-size"]);
      if (!distributed) throw new UsageError("--batch-size goes with --distributed");
      if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
        throw new UsageError(`--batch-size must be a positive integer, got '${text}'`);
      }
      batchSize = Number(text);
    }
    const message = await readMessageOrDeclarative(values, positionals, io);
    const except = (values.except as string[] | undefined) ?? [];

    const bar =
      io.stderr.isTTY === true && values["no-progress"] !== true
        ? createProgressBar(io.stderr, io.now)
        : undefined;
    const failures: Array<
      Pick<PushResult, "statusCode" | "reason" | "attempts"> & {
        sessionId: unknown;
        origin: string;
      }
    > = [];
    const started = io.now();
    let summary: Awaited<ReturnType<Awaited<ReturnType<typeof pusher>>["notifyAll"]>>;
    try {
      summary = await (await pusher()).notifyAll(message, {
        ...send,
        ...(groupId === undefined ? {} : { groupId }),
        except,
        // Only the counts and the failures are kept: a run over a million rows stays small.
        collectResults: false,
        ...(distributed
          ? {
              distributed,
              ...(batchSize === undefined ? {} : { batchSize }),
              onBroadcast: (id: string) =>
                io.stderr.write(`swp notify-all: broadcast ${id} queued\n`),
            }
          : {}),
        onResult: distributed
          ? undefined
          : (result) => {
              if (result.ok || result.gone || failures.length >= MAX_LISTED_FAILURES) return;
              failures.push({
                sessionId: (result as PushResult & { id?: unknown }).id,
                origin: endpointOrigin(result.endpoint),
                statusCode: result.statusCode,
                attempts: result.attempts,
                ...(result.reason === undefined ? {} : { reason: result.reason }),
              });
            },
        ...(bar ? { onProgress: (progress) => bar.update(progress) } : {}),
      });
    } finally {
      bar?.finish();
    }
    const seconds = ((io.now() - started) / 1000).toFixed(1);
    const { total, sent, gone, failed, errors } = summary;
    if (json) {
      io.stdout.write(
        `${JSON.stringify({
          total,
          sent,
          gone,
          failed,
          seconds: Number(seconds),
          failures,
          errors: errors.map((e) => e.message),
        })}\n`,
      );
    } else {
      io.stdout.write(
        `${total} messages: ${sent} sent, ${gone} gone (removed), ${failed} failed in ${seconds} s\n`,
      );
      for (const error of errors) io.stderr.write(`swp notify-all: ${cliMessage(error)}\n`);
    }
    return failureExitCode(failed + errors.length);
  },
};
