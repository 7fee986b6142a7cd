import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDeclarativeMessage } from "@swp/declarative";
import { base64urlDecode, decrypt } from "@swp/ece";
import { verifyVapid } from "@swp/vapid";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKS, type CheckResult, type GuestReport } from "./guest/protocol.ts";
import { RFC8291 } from "./guest/vectors.ts";
import { runtimeBinaries } from "./lib/binaries.ts";
import { bundlePortable } from "./lib/bundle.ts";
import { type Receiver, startReceiver } from "./lib/receiver.ts";
import { runGuestScript } from "./lib/run-script.ts";
import { startWorkerd, type Workerd } from "./lib/workerd.ts";

// The runtime matrix: the same five checks (guest/checks.ts) in Deno, Bun and workerd, each
// verified here in Node. Deno and Bun run the guest twice: as a script resolving the packages
// themselves (with this project's package.json both pick the `node` export condition: that is
// what their users get) and as the esbuild bundle made with the workerd/worker/browser
// conditions (the portable entries). workerd runs the bundle as a module Worker without
// nodejs_compat. Every network connection stays on 127.0.0.1.

const project = fileURLToPath(new URL("../", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const scriptEntry = join(project, "src/guest/script.ts");
const workerEntry = join(project, "src/guest/worker.ts");

const binaries = runtimeBinaries();
let receiver: Receiver;
let work: string;
let workerd: Workerd | undefined;

interface Variant {
  name: string;
  /** True when the runtime resolved the packages itself with the `node` condition. */
  nodeCondition: boolean;
  /**
   * Whether createSender's default transport (undici + node:http2) works there. Bun replaces
   * the `undici` package with a built-in module of its own whose Pool has no close() and
   * answers in another shape, so on Bun only the fetch transport delivers.
   */
  defaultTransport?: "delivers" | "fails";
  run(): Promise<GuestReport>;
}

const denoEnv = () => ({
  DENO_DIR: join(work, "deno-dir"),
  DENO_NO_UPDATE_CHECK: "1",
  NO_COLOR: "1",
});
const denoArgs = (file: string, variant: string) => [
  "run",
  "--no-lock",
  "--no-prompt",
  "--allow-net=127.0.0.1",
  `--allow-read=${repoRoot}`,
  "--allow-env",
  file,
  receiver.url,
  variant,
];
const bunEnv = () => ({ BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0", DO_NOT_TRACK: "1", NO_COLOR: "1" });
const bunArgs = (file: string, variant: string) => [
  "run",
  "--no-install",
  file,
  receiver.url,
  variant,
];

const variants: Variant[] = [
  {
    name: "deno (node condition)",
    nodeCondition: true,
    defaultTransport: "delivers",
    run: () =>
      runGuestScript(binaries.deno, denoArgs(scriptEntry, "deno (node condition)"), {
        cwd: project,
        env: denoEnv(),
      }),
  },
  {
    name: "deno (portable bundle)",
    nodeCondition: false,
    run: () =>
      runGuestScript(binaries.deno, denoArgs(join(work, "script.js"), "deno (portable bundle)"), {
        cwd: work,
        env: denoEnv(),
      }),
  },
  {
    name: "bun (node condition)",
    nodeCondition: true,
    defaultTransport: "fails",
    run: () =>
      runGuestScript(binaries.bun, bunArgs(scriptEntry, "bun (node condition)"), {
        cwd: project,
        env: bunEnv(),
      }),
  },
  {
    name: "bun (portable bundle)",
    nodeCondition: false,
    run: () =>
      runGuestScript(binaries.bun, bunArgs(join(work, "script.js"), "bun (portable bundle)"), {
        cwd: work,
        env: bunEnv(),
      }),
  },
  {
    name: "workerd (portable bundle)",
    nodeCondition: false,
    async run() {
      workerd = await startWorkerd(binaries.workerd, work);
      const input = receiver.inputFor("workerd (portable bundle)");
      const response = await fetch(workerd.url, { method: "POST", body: JSON.stringify(input) });
      const text = await response.text();
      if (response.status !== 200)
        throw new Error(`workerd answered ${response.status}: ${text}\n${workerd.stderr()}`);
      return JSON.parse(text) as GuestReport;
    },
  },
];

const reports = new Map<string, GuestReport | Error>();

beforeAll(async () => {
  receiver = await startReceiver();
  work = await mkdtemp(join(tmpdir(), "swp-runtimes-"));
  await bundlePortable(scriptEntry, join(work, "script.js"));
  await bundlePortable(workerEntry, join(work, "worker.js"));
  // The runtimes are independent: run them side by side (each is mostly waiting on start-up).
  await Promise.all(
    variants.map(async (variant) => {
      try {
        reports.set(variant.name, await variant.run());
      } catch (error) {
        reports.set(variant.name, error as Error);
      }
    }),
  );
}, 150_000);

afterAll(async () => {
  await workerd?.stop();
  await receiver?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

function reportOf(variant: string): GuestReport {
  const report = reports.get(variant);
  if (report instanceof Error) throw report;
  if (!report) throw new Error(`${variant} did not run`);
  return report;
}

function result(variant: string, check: CheckResult["check"]): CheckResult {
  const found = reportOf(variant).results.find((r) => r.check === check);
  if (!found) throw new Error(`${variant} reported no ${check}`);
  if (found.error) throw new Error(`${variant} ${check} threw in the runtime:\n${found.error}`);
  return found;
}

const out = <T>(r: CheckResult, key: string) => r.output?.[key] as T;

for (const variant of variants)
  describe(variant.name, () => {
    const v = variant.name;

    it("RFC 8291 Appendix A: decrypts the published message", () => {
      const r = result(v, "rfc8291-appendix-a-decrypt");
      expect(out<string>(r, "plaintext")).toBe(RFC8291.plaintext);
      expect(r.ok).toBe(true);
    });

    it("a fresh encrypt that Node decrypts", async () => {
      const r = result(v, "fresh-encrypt-node-decrypts");
      const body = base64urlDecode(out<string>(r, "body"));
      const plaintext = new TextDecoder().decode(await decrypt(body, receiver.keys));
      expect(plaintext).toBe(receiver.inputFor(v).plaintext);
      expect(out<Record<string, string>>(r, "headers")["Content-Encoding"]).toBe("aes128gcm");
    });

    it("a VAPID header that Node verifies", async () => {
      const r = result(v, "vapid-header-node-verifies");
      const authorization = out<string>(r, "authorization");
      expect(authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]{87}$/);
      const { claims, publicKey } = await verifyVapid(authorization, {
        audience: "https://push.example",
      });
      expect(claims.sub).toBe("mailto:matrix@example.com");
      expect(base64urlDecode(receiver.vapidPublicKey)).toEqual(publicKey);
    });

    it("buildPushRequest + the fetch transport deliver to a receiver on 127.0.0.1", () => {
      const r = result(v, "build-push-request-fetch-transport");
      expect(out<number>(r, "status")).toBe(201);
      expect(out<boolean>(r, "bodyIsArrayBufferBacked")).toBe(true);
      const push = receiver.received.get(v);
      expect(push, "the receiver got no request").toBeDefined();
      expect(push!.error).toBeUndefined();
      expect(push!.plaintext).toBe(out<string>(r, "payload"));
      expect(push!.vapidKey).toBe(receiver.vapidPublicKey);
      expect(push!.headers).toMatchObject({
        ttl: "60",
        urgency: "high",
        "content-encoding": "aes128gcm",
      });
      const message = parseDeclarativeMessage(push!.plaintext!);
      expect(message.notification.title).toBe(`Sent from ${v}`);
      expect(message.notification.body).toBe("Ünïcödé ✓");
      expect(message.app_badge).toBe(1);
    });

    it("@swp/declarative builds a payload and refuses a bad one", () => {
      const r = result(v, "declarative-payload");
      expect(out<unknown>(r, "message")).toEqual({
        web_push: 8030,
        notification: {
          title: `Sent from ${v}`,
          navigate: "https://app.example/inbox",
          body: "Ünïcödé ✓",
          actions: [{ action: "open", title: "Open", navigate: "https://app.example/inbox/1" }],
        },
        mutable: true,
      });
      expect(out<unknown>(r, "refusal")).toEqual({
        code: "ERR_DECLARATIVE_INVALID_URL",
        field: "notification.navigate",
        marked: true,
      });
      expect(out<number>(r, "tooLargeSize")).toBeGreaterThan(3993);
    });

    it(
      variant.nodeCondition
        ? "resolved the node-condition entries (ece, vapid) and @swp/sender's full entry"
        : "got the fetch-only entry",
      () => {
        const report = reportOf(v);
        expect(report.results.map((r) => r.check)).toEqual([...CHECKS]);
        expect(report.senderExports.buildPushRequest).toBe("function");
        expect(report.senderExports.createFetchTransport).toBe("function");
        expect(report.senderExports.createSender).toBe(
          variant.nodeCondition ? "function" : "undefined",
        );
        if (variant.nodeCondition) {
          expect(report.resolved).toEqual({
            "@swp/ece": expect.stringMatching(/\/packages\/ece\/dist\/node\.js$/),
            "@swp/vapid": expect.stringMatching(/\/packages\/vapid\/dist\/node-entry\.js$/),
            "@swp/sender": expect.stringMatching(/\/packages\/sender\/dist\/index\.js$/),
            "@swp/declarative": expect.stringMatching(/\/packages\/declarative\/dist\/index\.js$/),
          });
        }
        // No nodejs_compat: the Worker has neither Node global.
        if (v.startsWith("workerd"))
          expect(report.globals).toEqual({ process: "undefined", Buffer: "undefined" });
      },
    );

    if (variant.defaultTransport === "delivers") {
      it("createSender with its default transport (undici, node:http2) delivers to 127.0.0.1", () => {
        const r = result(v, "create-sender-default-transport");
        expect(out<string | undefined>(r, "reason")).toBeUndefined();
        expect(out<number>(r, "status")).toBe(201);
        expect(out<string | undefined>(r, "closeError")).toBeUndefined();
        const push = receiver.received.get(`${v} / createSender`);
        expect(push?.error).toBeUndefined();
        expect(push?.plaintext).toBe(out<string>(r, "payload"));
        expect(push?.headers).toMatchObject({ ttl: "30", "content-encoding": "aes128gcm" });
      });
    }

    if (variant.defaultTransport === "fails") {
      it("createSender with its default transport does NOT deliver (Bun's own undici module)", () => {
        const r = result(v, "create-sender-default-transport");
        expect(out<number>(r, "status")).not.toBe(201);
        expect(r.ok).toBe(false);
        expect(receiver.received.has(`${v} / createSender`)).toBe(false);
      });
    }

    if (variant.nodeCondition) {
      it("createSender over the fetch transport delivers to 127.0.0.1", () => {
        const r = result(v, "create-sender-fetch-transport");
        expect(out<number>(r, "status")).toBe(201);
        expect(r.ok).toBe(true);
        const push = receiver.received.get(`${v} / createSender over fetch`);
        expect(push?.error).toBeUndefined();
        expect(push?.plaintext).toBe(out<string>(r, "payload"));
      });
    } else {
      it("has no createSender: the createSender checks report absent", () => {
        expect(result(v, "create-sender-default-transport").absent).toBe(true);
        expect(result(v, "create-sender-fetch-transport").absent).toBe(true);
      });
    }
  });

describe("bundling for Workers", () => {
  it("@swp/sender's full entry (createSender) needs node: modules: the bundle fails without the portable conditions", async () => {
    const error = await build({
      stdin: {
        contents: 'export { createSender } from "@swp/sender";',
        resolveDir: project,
        loader: "ts",
      },
      bundle: true,
      format: "esm",
      platform: "neutral",
      write: false,
      logLevel: "silent",
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/Could not resolve "node:/);
  });
});
