// A pool of worker threads that encrypt push messages (RFC 8291) for large sendAll batches.
//
// Why: each message needs its own P-256 key pair and ECDH, about 200 µs of CPU, so one
// thread tops out near a few thousand messages per second however fast the network is. The
// main thread keeps everything else: parsing, VAPID (signed once per audience and shared),
// HTTP. Workers get jobs in batches (one transferred buffer per batch, see encrypt-wire.ts)
// so messaging costs a few µs per message, and each worker holds at most `depth` batches:
// one being encrypted and the next one queued, so it never waits for the main thread.
// Nothing else is buffered here: jobs wait in `#queue`, whose length the caller bounds (a
// sendAll holds at most its window of items).
//
// Exactly one outcome per job: a job on a worker that dies is run again on another worker
// (once; a job that was on two workers that died fails with WorkerLostError, so a job that
// kills its worker cannot take the pool down in a loop). If workers cannot start at all
// (three in a row exit before saying they are ready), the pool encrypts on the calling
// thread instead, so sending still works.

import { Worker } from "node:worker_threads";
import { EceError, encrypt } from "@swp/ece";
import {
  type BatchRequest,
  type BatchResponse,
  type EncryptedBody,
  type EncryptJob,
  isJobFailure,
  packJobs,
  READY,
  unpackBodies,
} from "./encrypt-wire.ts";

/** A job whose worker died twice under it. */
export class WorkerLostError extends Error {
  constructor(detail: string) {
    super(`the encryption worker stopped (${detail}) while encrypting this message, twice`);
    this.name = "WorkerLostError";
  }
}

/** Options of {@link EncryptPool}. */
export interface EncryptPoolOptions {
  /** Worker threads, ≥ 1. */
  size: number;
  /** Jobs per batch at most. Default 64. */
  batchSize?: number;
  /** Batches a worker holds at once (encrypting plus queued). Default 2. */
  depth?: number;
  /** The worker script. Default: encrypt-worker.js next to this module (the built file). */
  workerUrl?: URL;
}

interface Job extends EncryptJob {
  signal: AbortSignal | undefined;
  /** Workers that died while holding this job. */
  lost: number;
  resolve(value: EncryptedBody): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Batches posted and not yet answered, by batch id. */
  batches: Map<number, Job[]>;
  exitDetail: string | undefined;
}

/** Consecutive workers that exit before they are ready, after which the pool gives up. */
const MAX_START_FAILURES = 3;

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** Options of `node -e`/`-p` scripts, which must not reach a worker that runs a file. */
const EVAL_OPTIONS = new Set(["-e", "--eval", "-p", "--print", "--input-type"]);

/**
 * The parent's Node options without those of an eval script: workers inherit the rest (so a
 * loader such as `--import tsx` still applies), but a worker given `-e` would run the
 * parent's script again, and `--input-type` is refused for a file entry.
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.split("=", 1)[0]!;
    if (!EVAL_OPTIONS.has(name)) out.push(arg);
    else if (!arg.includes("=")) i++; // its value is the next argument
  }
  return out;
}

/** Encrypts on the calling thread (the fallback, and the reference the workers must match). */
export function encryptHere(job: EncryptJob): Promise<EncryptedBody> {
  return encrypt(job.plaintext, {
    uaPublic: job.uaPublic,
    authSecret: job.authSecret,
    encoding: job.encoding,
    padding: job.padding,
  });
}

/**
 * Worker threads that encrypt {@link EncryptJob}s. Started on the first job, unreferenced
 * while idle (an idle pool never keeps the process alive), stopped by {@link close}.
 */
export class EncryptPool {
  readonly size: number;
  readonly batchSize: number;
  readonly depth: number;
  readonly #workerUrl: URL;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #queueHead = 0;
  #nextBatchId = 0;
  #flushScheduled = false;
  #startFailures = 0;
  #fallback = false;
  #closed = false;
  #started = false;

  constructor(options: EncryptPoolOptions) {
    const { size, batchSize = 64, depth = 2 } = options;
    for (const [name, value] of [
      ["size", size],
      ["batchSize", batchSize],
      ["depth", depth],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`encryption pool ${name} must be a whole number ≥ 1, got ${value}`);
      }
    }
    this.size = size;
    this.batchSize = batchSize;
    this.depth = depth;
    this.#workerUrl = options.workerUrl ?? new URL("./encrypt-worker.js", import.meta.url);
  }

  /** True once the first job started the workers. */
  get started(): boolean {
    return this.#started;
  }

  /** True when workers could not start and jobs are encrypted on the calling thread. */
  get degraded(): boolean {
    return this.#fallback;
  }

  /** Jobs that can be held by workers at once: size × depth × batchSize. */
  get capacity(): number {
    return this.size * this.depth * this.batchSize;
  }

  /** Workers alive (for tests). */
  get workerCount(): number {
    return this.#slots.length;
  }

  /**
   * Encrypts one message on a worker. Rejects with the job's `EceError`, with
   * `WorkerLostError`, or with the signal's reason when `signal` aborts before the job
   * reaches a worker.
   */
  encrypt(job: EncryptJob, signal?: AbortSignal): Promise<EncryptedBody> {
    if (this.#closed) return Promise.reject(new Error("the encryption pool is closed"));
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.#fallback) return encryptHere(job);
    this.#started = true;
    return new Promise<EncryptedBody>((resolve, reject) => {
      this.#queue.push({ ...job, signal, lost: 0, resolve, reject });
      this.#scheduleFlush();
    });
  }

  /** Stops the workers. Jobs still queued or running are rejected. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new Error("the encryption pool is closed");
    for (const job of this.#takeAll()) job.reject(closed);
    const slots = this.#slots.splice(0);
    for (const slot of slots) {
      for (const jobs of slot.batches.values()) for (const job of jobs) job.reject(closed);
      slot.batches.clear();
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /**
   * Test hook: terminates the worker that holds the most batches (as if it crashed), so
   * tests can check that its jobs still end exactly once. Resolves once it has exited.
   * @internal
   */
  async killWorkerForTest(): Promise<boolean> {
    const busiest = [...this.#slots].sort((a, b) => b.batches.size - a.batches.size)[0];
    if (!busiest) return false;
    const exited = new Promise<void>((resolve) => busiest.worker.once("exit", () => resolve()));
    await busiest.worker.terminate();
    await exited;
    return true;
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // setImmediate, not a microtask: a sendAll pulls its items one microtask apart, and
    // everything pulled in this turn should travel in the same batch.
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #pending(): number {
    return this.#queue.length - this.#queueHead;
  }

  #takeAll(): Job[] {
    const jobs = this.#queue.slice(this.#queueHead);
    this.#queue.length = 0;
    this.#queueHead = 0;
    return jobs;
  }

  /** Takes up to `n` jobs that are still wanted; aborted ones are answered on the way. */
  #take(n: number): Job[] {
    const out: Job[] = [];
    while (out.length < n && this.#queueHead < this.#queue.length) {
      const job = this.#queue[this.#queueHead++]!;
      if (job.signal?.aborted) job.reject(abortReason(job.signal));
      else out.push(job);
    }
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#queueHead);
      this.#queueHead = 0;
    }
    return out;
  }

  #flush(): void {
    if (this.#closed) return;
    if (this.#fallback) {
      for (const job of this.#takeAll()) {
        if (job.signal?.aborted) job.reject(abortReason(job.signal));
        else encryptHere(job).then(job.resolve, job.reject);
      }
      return;
    }
    while (this.#slots.length < this.size) this.#spawn();
    while (this.#pending() > 0) {
      // The least busy worker with room takes the next batch. A partial batch goes out
      // only when no worker has anything to do: while one is busy, its answer brings the
      // next flush, and a sendAll refills the queue as results drain, so jobs that
      // trickle in one by one still travel together instead of one postMessage each.
      let best: Slot | undefined;
      let busy = false;
      for (const slot of this.#slots) {
        if (slot.batches.size > 0) busy = true;
        if (slot.batches.size >= this.depth) continue;
        if (!best || slot.batches.size < best.batches.size) best = slot;
      }
      if (!best) return;
      if (busy && this.#pending() < this.batchSize) return;
      const jobs = this.#take(this.batchSize);
      if (jobs.length === 0) return;
      this.#post(best, jobs);
    }
  }

  #post(slot: Slot, jobs: Job[]): void {
    const id = this.#nextBatchId++;
    const buffer = packJobs(jobs);
    if (slot.batches.size === 0) slot.worker.ref();
    slot.batches.set(id, jobs);
    const request: BatchRequest = { id, buffer };
    slot.worker.postMessage(request, [buffer]);
  }

  #spawn(): void {
    const worker = new Worker(this.#workerUrl, { execArgv: workerExecArgv() });
    const slot: Slot = { worker, ready: false, batches: new Map(), exitDetail: undefined };
    worker.on("message", (message: BatchResponse | typeof READY) => {
      if (message === READY) {
        slot.ready = true;
        this.#startFailures = 0;
        return;
      }
      this.#answer(slot, message);
    });
    worker.on("error", (error) => {
      slot.exitDetail = error instanceof Error ? error.message : String(error);
    });
    worker.on("exit", (code) => this.#lost(slot, slot.exitDetail ?? `exit code ${code}`));
    // Referenced only while it holds work (see #post and #answer). After the listeners: adding
    // a "message" listener references the worker's port again.
    worker.unref();
    this.#slots.push(slot);
  }

  #answer(slot: Slot, response: BatchResponse): void {
    const jobs = slot.batches.get(response.id);
    if (!jobs) return;
    slot.batches.delete(response.id);
    if (slot.batches.size === 0) slot.worker.unref();
    const entries = unpackBodies(response, jobs.length);
    for (let i = 0; i < jobs.length; i++) {
      const entry = entries[i]!;
      const job = jobs[i]!;
      if (isJobFailure(entry)) job.reject(new EceError(entry.code as never, entry.message));
      else job.resolve(entry);
    }
    this.#flush();
  }

  /** A worker exited: its jobs go back to the front of the queue, or fail after two losses. */
  #lost(slot: Slot, detail: string): void {
    const at = this.#slots.indexOf(slot);
    if (at < 0) return; // closed
    this.#slots.splice(at, 1);
    const again: Job[] = [];
    for (const jobs of slot.batches.values()) {
      for (const job of jobs) {
        // A worker that never got ready did not run the job: that loss does not count.
        if (slot.ready) job.lost++;
        if (job.lost >= 2) job.reject(new WorkerLostError(detail));
        else again.push(job);
      }
    }
    slot.batches.clear();
    if (!slot.ready && ++this.#startFailures >= MAX_START_FAILURES) this.#fallback = true;
    if (again.length > 0) {
      this.#queue.splice(this.#queueHead, 0, ...again);
    }
    if (this.#pending() > 0) this.#scheduleFlush();
  }
}
