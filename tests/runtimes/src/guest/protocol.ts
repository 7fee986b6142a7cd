// What Node hands a runtime under test and what the runtime answers: plain JSON, bytes as
// base64url, so the same guest code runs as a Deno or Bun script and inside a Worker.

/** The run's inputs, made fresh by Node for every run. Test keys only. */
export interface GuestInput {
  /** Which runtime and entry this is (`deno/node-condition`, `workerd/portable`, …). */
  variant: string;
  /** Keys a browser would hold: the guest encrypts to them, Node decrypts. */
  receiver: { uaPublic: string; authSecret: string };
  /** A VAPID key pair made by Node for this run; Node verifies the guest's header. */
  vapidKeys: { publicKey: string; privateKey: string };
  /** A subscription whose endpoint is Node's receiver on 127.0.0.1. */
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** The same receiver under another path, for `createSender` where the runtime has it. */
  senderSubscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** And another, for `createSender` over the fetch transport. */
  fetchSenderSubscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** The plaintext of the fresh-encrypt check. */
  plaintext: string;
}

/** The names of the checks, in the order they run and print. */
export const CHECKS = [
  "rfc8291-appendix-a-decrypt",
  "fresh-encrypt-node-decrypts",
  "vapid-header-node-verifies",
  "build-push-request-fetch-transport",
  "declarative-payload",
  "create-sender-default-transport",
  "create-sender-fetch-transport",
] as const;

/**
 * Checks that run only where the runtime got `createSender` (the full entry, under the
 * `node` condition): it reports "absent" elsewhere.
 */
export const FULL_ENTRY_CHECKS: readonly (typeof CHECKS)[number][] = [
  "create-sender-default-transport",
  "create-sender-fetch-transport",
];

/** One check's outcome: `output` carries what Node verifies on its side. */
export interface CheckResult {
  check: (typeof CHECKS)[number];
  ok: boolean;
  /** True when the check did not apply to this entry (see FULL_ENTRY_CHECKS). */
  absent?: boolean;
  /** The error, when the guest threw (its message; never keys). */
  error?: string;
  output?: Record<string, unknown>;
}

/** What the guest reports about itself besides the checks. */
export interface GuestReport {
  variant: string;
  /** Which exports the runtime got from `@swp/sender` (createSender is absent on the fetch entry). */
  senderExports: { buildPushRequest: string; createFetchTransport: string; createSender: string };
  /** Scripts only: what `import.meta.resolve` gives for each package (the entry file picked). */
  resolved?: Record<string, string>;
  /** `typeof process` and `typeof Buffer`: "undefined" in a Worker without nodejs_compat. */
  globals: { process: string; Buffer: string };
  results: CheckResult[];
}
