import { cliMessage } from "../lib/cli-message.ts";
import type { Command } from "../lib/command.ts";
import { deliveryOptions, keyOptions, outputOptions, storeOptions } from "../lib/common-options.ts";
import { ExitCode } from "../lib/exit-codes.ts";
import { printable } from "../lib/printable.ts";
import { UsageError } from "../lib/usage-error.ts";

function positiveNumber(name: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) < min) {
    throw new UsageError(`--${name} must be a number of at least ${min}, got '${text}'`);
  }
  return Number(text);
}

/** Resolves at the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** `swp worker`: a worker of distributed broadcasts, until SIGINT or SIGTERM. */
export const workerCommand: Command = {
  name: "worker",
  summary: "send the batches of distributed broadcasts (notify-all --distributed)",
  usage: ["worker --postgres <url> [--concurrency N] [--key <path>] [--subject <uri>]"],
  description:
    "Takes batches of broadcasts queued with notify-all --distributed (or notifyAll(data, " +
    "{ distributed: true })) from the pg-boss queue in PostgreSQL, sends them with the VAPID " +
    "key of --key (the same key as the app servers), removes gone subscriptions and records " +
    "each batch's counts. Run any number of workers on any machines. SIGINT or SIGTERM lets " +
    "the batches under way finish (up to 30 s) and exits 0; a worker killed outright loses " +
    "nothing: its batches go to another worker when their lease expires. One line per batch " +
    "on standard error (--json: one JSON object per batch on standard output).",
  options: {
    concurrency: {
      type: "string",
      valueName: "n",
      description: "batches sent at once by this worker (default 2)",
    },
    "polling-interval": {
      type: "string",
      valueName: "seconds",
      description: "how often an idle worker asks for a batch (default 2, at least 0.5)",
    },
    "supervise-interval": {
      type: "string",
      valueName: "seconds",
      description: "how often it hands the batches of dead workers to others (default 30)",
    },
    name: {
      type: "string",
      valueName: "name",
      description: "its name in the batch records (default <host>:<pid>)",
    },
    ...deliveryOptions,
    ...keyOptions,
    ...storeOptions,
    ...outputOptions,
  },
  async run({ values, positionals, io, json, pusher }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const concurrency = positiveNumber("concurrency", values.concurrency, 1);
    if (concurrency !== undefined && !Number.isInteger(concurrency)) {
      throw new UsageError(`--concurrency must be an integer, got '${String(values.concurrency)}'`);
    }
    const pollingIntervalSeconds = positiveNumber(
      "polling-interval",
      values["polling-interval"],
      0.5,
    );
    const superviseIntervalSeconds = positiveNumber(
      "supervise-interval",
      values["supervise-interval"],
      1,
    );
    const name = values.name as string | undefined;
    const signal = untilSignal();
    const worker = await (await pusher()).runWorker({
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(pollingIntervalSeconds === undefined ? {} : { pollingIntervalSeconds }),
      ...(superviseIntervalSeconds === undefined ? {} : { superviseIntervalSeconds }),
      ...(name === undefined ? {} : { name }),
      onBatch: (b) => {
        if (json) io.stdout.write(`${JSON.stringify(b)}\n`);
        else
          io.stderr.write(
            `swp worker: broadcast ${b.broadcastId} batch ${b.batchNo} ${b.outcome}: ${b.sent} sent, ${b.gone} gone, ${b.failed} failed in ${b.ms} ms\n`,
          );
      },
      onError: (error) => io.stderr.write(`swp worker: ${cliMessage(error)}\n`),
    });
    io.stderr.write(
      `swp worker: ${printable(worker.name)} waiting for batches (SIGINT or SIGTERM to stop)\n`,
    );
    const received = await signal;
    io.stderr.write(`swp worker: ${received}: finishing the batches under way\n`);
    await worker.stop();
    return ExitCode.OK;
  },
};
