import { endpointOrigin } from "../../lib/verbose-line.ts";
import { cliWords } from "../lib/cli-message.ts";
import type { Command } from "../lib/command.ts";
import {
  declarativeOption,
  deliveryOptions,
  keyOptions,
  outputOptions,
  sendOptionsFrom,
  storeOptions,
} from "../lib/common-options.ts";
import { ExitCode } from "../lib/exit-codes.ts";
import { printable } from "../lib/printable.ts";
import { readMessageOrDeclarative, readSubscriptionArgument } from "../lib/read-input.ts";

/** `swp send`: one message to one subscription given on the command line. */
export const sendCommand: Command = {
  name: "send",
  summary: "send one message to a subscription",
  usage: [
    "send --subscription <file|json|-> [--ttl N] [--urgency U] [--topic T] <message>",
    "send --subscription <file|json|-> --declarative <file|json|-> [--ttl N] …",
  ],
  description:
    "Encrypts <message> (RFC 8291) for the subscription and delivers it (RFC 8030), signed with " +
    "the VAPID key (RFC 8292). <message> is sent as it is (quote JSON); - reads it from standard " +
    "input. Exit status 0 when the push service accepted it, 1 when not (gone included).",
  options: {
    subscription: {
      type: "string",
      short: "s",
      valueName: "file|json|-",
      description:
        "the browser's PushSubscription: a JSON file, inline JSON, or - for standard input",
    },
    ...declarativeOption,
    ...deliveryOptions,
    ...keyOptions,
    ...storeOptions,
    ...outputOptions,
  },
  async run({ values, positionals, io, json, pusher }) {
    const send = sendOptionsFrom(values);
    const message = await readMessageOrDeclarative(values, positionals, io);
    const subscription = await readSubscriptionArgument(
      values.subscription as string | undefined,
      io,
    );
    const result = await (await pusher()).sendNotification(subscription, message, send);
    if (json) {
      io.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      const outcome = result.ok ? "sent" : result.gone ? "gone" : "failed";
      const status = result.statusCode === 0 ? "no answer" : `HTTP ${result.statusCode}`;
      // The reason is the push service's text (or ours, in API words): escaped, CLI words.
      const reason =
        !result.ok && result.reason
          ? `: ${printable(cliWords(result.reason.split("\n")[0] ?? ""))}`
          : "";
      io.stdout.write(
        `${outcome} (${status}) ${printable(endpointOrigin(result.endpoint))}${reason}\n`,
      );
    }
    return result.ok ? ExitCode.OK : 1;
  },
};
