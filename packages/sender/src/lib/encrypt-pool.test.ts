import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { decrypt, generateSubscriptionKeys, type SubscriptionKeys } from "@swp/ece";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { builtWorkerUrl, CRASHING_WORKER } from "../test-support/built-worker.ts";
import { EncryptPool, WorkerLostError } from "./encrypt-pool.ts";
import type { EncryptedBody, EncryptJob } from "./encrypt-wire.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let receivers: SubscriptionKeys[];
const pools: EncryptPool[] = [];

beforeAll(async () => {
  receivers = await Promise.all(Array.from({ length: 8 }, () => generateSubscriptionKeys()));
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function pool(options: Partial<ConstructorParameters<typeof EncryptPool>[0]> = {}): EncryptPool {
  const p = new EncryptPool({ size: 2, workerUrl: builtWorkerUrl(), ...options });
  pools.push(p);
  return p;
}

function job(i: number, text = `message ${i}`): EncryptJob & { receiver: SubscriptionKeys } {
  const receiver = receivers[i % receivers.length]!;
  return {
    receiver,
    plaintext: encoder.encode(text),
    uaPublic: receiver.uaPublic,
    authSecret: receiver.authSecret,
    encoding: "aes128gcm",
    padding: 0,
  };
}

/** A 65-byte 0x04 point that is not on P-256: ece refuses it with ERR_ECE_INVALID_PUBLIC_KEY. */
function offCurve(point: Uint8Array): Uint8Array {
  const bad = point.slice();
  bad[40] = bad[40]! ^ 0x10;
  return bad;
}

async function open(body: EncryptedBody, receiver: SubscriptionKeys): Promise<string> {
  return decoder.decode(await decrypt(body.body, receiver));
}

describe("EncryptPool", () => {
  it("encrypts on worker threads what a browser decrypts (aes128gcm, aesgcm, padding)", async () => {
    const p = pool();
    expect(p.started).toBe(false);
    const plain = job(0, "hello from a worker");
    const padded = { ...job(1, "padded"), padding: 100 };
    const legacy = { ...job(2, "legacy"), encoding: "aesgcm" as const };
    const [a, b, c] = await Promise.all([p.encrypt(plain), p.encrypt(padded), p.encrypt(legacy)]);
    expect(p.started).toBe(true);
    expect(p.workerCount).toBe(2);
    expect(a!.headers).toEqual({ "Content-Encoding": "aes128gcm" });
    expect(await open(a!, plain.receiver)).toBe("hello from a worker");
    expect(b!.body.length).toBe(a!.body.length - "hello from a worker".length + 6 + 100);
    expect(await open(b!, padded.receiver)).toBe("padded");
    // aesgcm carries its salt and sender key in headers (draft-ietf-webpush-encryption-04).
    expect(c!.headers["Content-Encoding"]).toBe("aesgcm");
    const salt = Buffer.from(c!.headers.Encryption!.replace("salt=", ""), "base64url");
    const dh = Buffer.from(c!.headers["Crypto-Key"]!.replace("dh=", ""), "base64url");
    const text = await decrypt(c!.body, {
      ...legacy.receiver,
      encoding: "aesgcm",
      salt: new Uint8Array(salt),
      asPublic: new Uint8Array(dh),
    });
    expect(decoder.decode(text)).toBe("legacy");
  });

  it("settles each of 5,000 jobs exactly once, scripted failures included", async () => {
    const p = pool({ batchSize: 32 });
    const n = 5000;
    const outcomes = new Map<number, "ok" | "failed">();
    let duplicates = 0;
    const shared = encoder.encode("the same payload for everyone");
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const j = { ...job(i), plaintext: i % 2 === 0 ? shared : encoder.encode(`own ${i}`) };
        // Every 97th job carries a key off the curve: the worker's ece refuses it.
        if (i % 97 === 0) j.uaPublic = offCurve(j.uaPublic);
        try {
          const body = await p.encrypt(j);
          if (outcomes.has(i)) duplicates++;
          outcomes.set(i, "ok");
          if (i % 500 === 1) expect(await open(body, j.receiver)).toBe(`own ${i}`);
          if (i % 500 === 2)
            expect(await open(body, j.receiver)).toBe("the same payload for everyone");
        } catch (error) {
          if (outcomes.has(i)) duplicates++;
          outcomes.set(i, "failed");
          expect(error).toMatchObject({ code: "ERR_ECE_INVALID_PUBLIC_KEY" });
        }
      }),
    );
    expect(duplicates).toBe(0);
    expect(outcomes.size).toBe(n);
    const failed = [...outcomes]
      .filter(([, o]) => o === "failed")
      .map(([i]) => i)
      .sort((a, b) => a - b);
    expect(failed).toEqual(Array.from({ length: Math.ceil(n / 97) }, (_, k) => k * 97));
  });

  it("re-runs the jobs of a killed worker on another: one outcome per job", async () => {
    const p = pool({ batchSize: 16 });
    const n = 2000;
    let settled = 0;
    let killed: Promise<boolean> | undefined;
    const bodies = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        p.encrypt(job(i)).then((body) => {
          settled++;
          // Kill a worker while most jobs are still queued or on the workers.
          if (settled === 50) killed = p.killWorkerForTest();
          return body;
        }),
      ),
    );
    expect(await killed).toBe(true);
    expect(bodies.length).toBe(n);
    for (const i of [0, 777, 1999])
      expect(await open(bodies[i]!, job(i).receiver)).toBe(`message ${i}`);
    // The dead worker was replaced.
    await p.encrypt(job(0));
    expect(p.workerCount).toBe(2);
  });

  it("fails a job with WorkerLostError once two workers died under it, and keeps going", async () => {
    const p = pool({ size: 1, workerUrl: CRASHING_WORKER });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => p.encrypt(job(i))),
    );
    for (const o of outcomes) {
      expect(o.status).toBe("rejected");
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(WorkerLostError);
      expect((o as PromiseRejectedResult).reason.message).toMatch(/stopped \(exit code 3\)/);
    }
    expect(p.degraded).toBe(false);
  });

  it("encrypts on the calling thread when workers cannot start", async () => {
    const p = pool({ workerUrl: new URL("./no-such-worker.js", import.meta.url) });
    const j = job(3, "still delivered");
    const body = await p.encrypt(j);
    expect(p.degraded).toBe(true);
    expect(await open(body, j.receiver)).toBe("still delivered");
  });

  it("answers a job whose signal aborted before it reached a worker with the abort reason", async () => {
    const p = pool({ size: 1, batchSize: 1, depth: 1 });
    const controller = new AbortController();
    const first = p.encrypt(job(0), controller.signal);
    const queued = Array.from({ length: 20 }, (_, i) => p.encrypt(job(i + 1), controller.signal));
    const reason = new Error("stop");
    controller.abort(reason);
    // The first may already be on the worker; the rest never leave the queue.
    await first.catch(() => undefined);
    const outcomes = await Promise.allSettled(queued);
    expect(outcomes.filter((o) => o.status === "rejected").length).toBeGreaterThanOrEqual(19);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toBe(reason);
    await expect(p.encrypt(job(1), controller.signal)).rejects.toBe(reason);
  });

  it("rejects jobs after close()", async () => {
    const p = pool();
    await p.encrypt(job(0));
    await p.close();
    await expect(p.encrypt(job(1))).rejects.toThrow(/closed/);
  });

  it("never keeps the process alive: a script that does not close it still exits", () => {
    const poolModule = new URL("../../dist/lib/encrypt-pool.js", import.meta.url).href;
    builtWorkerUrl();
    const script = `
      import { EncryptPool } from ${JSON.stringify(poolModule)};
      import { generateSubscriptionKeys } from "@swp/ece";
      const k = await generateSubscriptionKeys();
      const pool = new EncryptPool({ size: 2 });
      const body = await pool.encrypt({ plaintext: new Uint8Array(10), uaPublic: k.uaPublic,
        authSecret: k.authSecret, encoding: "aes128gcm", padding: 0 });
      console.log(body.body.length, pool.degraded);
    `;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(child.stderr).toBe("");
    // The default worker script (next to the built pool) ran the job: not the fallback.
    expect(child.stdout.trim()).toBe(`${86 + 10 + 17} false`);
    expect(child.status).toBe(0);
  });
});
