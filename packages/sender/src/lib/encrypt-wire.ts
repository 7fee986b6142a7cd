// The byte layout of encryption batches between the main thread and the encryption workers.
// One ArrayBuffer per batch in each direction, transferred (not copied) by postMessage:
// structured-cloning an array of small objects costs more than the encryption it carries,
// and a Uint8Array view of a pooled Buffer would clone the whole 8 KiB slab behind it.
//
// Request:  u32 jobCount, u32 plaintextCount,
//           plaintextCount × (u32 length, bytes),
//           jobCount × (u8 encoding, u32 padding, u32 plaintextIndex, 65 uaPublic, 16 authSecret)
// Response: jobCount × (u8 status, then for status OK: u16 bodyLength, body)
//           plus, beside the buffer, the encoding headers of aesgcm jobs and the errors.
// Broadcasts send one payload to many subscriptions, so a batch carries each distinct
// plaintext (by identity) once.

import type { PushEncoding } from "../send-options.ts";

/** One message to encrypt (RFC 8291): the plaintext and the subscription's keys. */
export interface EncryptJob {
  plaintext: Uint8Array;
  /** 65-byte uncompressed P-256 point (the subscription's p256dh). */
  uaPublic: Uint8Array;
  /** 16 bytes (the subscription's auth). */
  authSecret: Uint8Array;
  encoding: PushEncoding;
  padding: number;
}

/** What encryption hands to the request: the body and the encoding's headers. */
export interface EncryptedBody {
  body: Uint8Array;
  headers: Readonly<Record<string, string>>;
}

/** A job that failed inside the worker: the EceError's code and message. */
export interface JobFailure {
  index: number;
  code: string;
  message: string;
}

/** A batch for a worker. */
export interface BatchRequest {
  id: number;
  buffer: ArrayBuffer;
}

/** A worker's answer to a batch. */
export interface BatchResponse {
  id: number;
  buffer: ArrayBuffer;
  /** Headers of the jobs whose encoding needs more than `Content-Encoding` (aesgcm), by index. */
  headers: Record<number, Record<string, string>> | undefined;
  failures: JobFailure[] | undefined;
}

/** First message of a worker once it can encrypt. */
export const READY = "ready";

const UA_PUBLIC_LENGTH = 65;
const AUTH_SECRET_LENGTH = 16;
const JOB_LENGTH = 1 + 4 + 4 + UA_PUBLIC_LENGTH + AUTH_SECRET_LENGTH;
const STATUS_OK = 0;
const STATUS_FAILED = 1;
const AES128GCM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "Content-Encoding": "aes128gcm",
});

/** Packs jobs into one transferable buffer. Keys must have their RFC 8291 lengths. */
export function packJobs(jobs: readonly EncryptJob[]): ArrayBuffer {
  const plaintexts: Uint8Array[] = [];
  const indexOf = new Map<Uint8Array, number>();
  const plaintextIndex = new Uint32Array(jobs.length);
  let size = 8 + jobs.length * JOB_LENGTH;
  for (let i = 0; i < jobs.length; i++) {
    const p = jobs[i]!.plaintext;
    let index = indexOf.get(p);
    if (index === undefined) {
      index = plaintexts.length;
      plaintexts.push(p);
      indexOf.set(p, index);
      size += 4 + p.length;
    }
    plaintextIndex[i] = index;
  }
  const buffer = new ArrayBuffer(size);
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  view.setUint32(0, jobs.length);
  view.setUint32(4, plaintexts.length);
  let at = 8;
  for (const p of plaintexts) {
    view.setUint32(at, p.length);
    bytes.set(p, at + 4);
    at += 4 + p.length;
  }
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    view.setUint8(at, job.encoding === "aesgcm" ? 1 : 0);
    view.setUint32(at + 1, job.padding);
    view.setUint32(at + 5, plaintextIndex[i]!);
    bytes.set(job.uaPublic, at + 9);
    bytes.set(job.authSecret, at + 9 + UA_PUBLIC_LENGTH);
    at += JOB_LENGTH;
  }
  return buffer;
}

/** Unpacks a request buffer (in the worker). The jobs' arrays are views into `buffer`. */
export function unpackJobs(buffer: ArrayBuffer): EncryptJob[] {
  const view = new DataView(buffer);
  const jobCount = view.getUint32(0);
  const plaintextCount = view.getUint32(4);
  const plaintexts: Uint8Array[] = [];
  let at = 8;
  for (let i = 0; i < plaintextCount; i++) {
    const length = view.getUint32(at);
    plaintexts.push(new Uint8Array(buffer, at + 4, length));
    at += 4 + length;
  }
  const jobs: EncryptJob[] = [];
  for (let i = 0; i < jobCount; i++) {
    jobs.push({
      encoding: view.getUint8(at) === 1 ? "aesgcm" : "aes128gcm",
      padding: view.getUint32(at + 1),
      plaintext: plaintexts[view.getUint32(at + 5)]!,
      uaPublic: new Uint8Array(buffer, at + 9, UA_PUBLIC_LENGTH),
      authSecret: new Uint8Array(buffer, at + 9 + UA_PUBLIC_LENGTH, AUTH_SECRET_LENGTH),
    });
    at += JOB_LENGTH;
  }
  return jobs;
}

/** Packs the bodies of a batch (in the worker); `undefined` marks a failed job. */
export function packBodies(bodies: ReadonlyArray<Uint8Array | undefined>): ArrayBuffer {
  let size = 0;
  for (const body of bodies) size += body ? 3 + body.length : 1;
  const buffer = new ArrayBuffer(size);
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  let at = 0;
  for (const body of bodies) {
    if (!body) {
      view.setUint8(at, STATUS_FAILED);
      at += 1;
      continue;
    }
    // A push body is at most 4096 bytes (RFC 8291 section 4), so 16 bits hold its length.
    view.setUint8(at, STATUS_OK);
    view.setUint16(at + 1, body.length);
    bytes.set(body, at + 3);
    at += 3 + body.length;
  }
  return buffer;
}

/**
 * Reads a response: one entry per job, the encrypted body (a view into the response
 * buffer) or the failure.
 */
export function unpackBodies(
  response: BatchResponse,
  jobCount: number,
): Array<EncryptedBody | JobFailure> {
  const view = new DataView(response.buffer);
  const failures = new Map((response.failures ?? []).map((f) => [f.index, f]));
  const out: Array<EncryptedBody | JobFailure> = [];
  let at = 0;
  for (let i = 0; i < jobCount; i++) {
    if (view.getUint8(at) === STATUS_FAILED) {
      out.push(
        failures.get(i) ?? { index: i, code: "ERR_ECE_CRYPTO", message: "encryption failed" },
      );
      at += 1;
      continue;
    }
    const length = view.getUint16(at + 1);
    out.push({
      body: new Uint8Array(response.buffer, at + 3, length),
      headers: response.headers?.[i] ?? AES128GCM_HEADERS,
    });
    at += 3 + length;
  }
  return out;
}

/** True for a {@link JobFailure} entry of {@link unpackBodies}. */
export function isJobFailure(entry: EncryptedBody | JobFailure): entry is JobFailure {
  return (entry as JobFailure).code !== undefined;
}
