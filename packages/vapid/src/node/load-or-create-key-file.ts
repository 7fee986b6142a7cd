// The key file the facade keeps its identity in. Losing or silently replacing it loses every
// subscriber (their subscriptions are bound to the public key), so creation is atomic and
// race-safe: the key is written in full to a private temporary file in the same directory
// and then hard-linked into place. link() refuses to replace an existing file, so of two
// processes starting at once exactly one wins and the other reads the winner's key.

import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { VapidError } from "../errors.ts";
import { bytesEqual } from "../lib/der.ts";
import type { VapidKeys } from "../lib/types.ts";
import {
  generateVapidKeys,
  publicKeyFromPem,
  publicKeyToPem,
  vapidKeysFromPem,
  vapidKeysToPem,
} from "../node-api.ts";

/**
 * Options of {@link loadOrCreateKeyFile}.
 *
 * @example
 * ```ts
 * const options: LoadOrCreateKeyFileOptions = { publicKeyPath: "/srv/keys/vapid.pub.pem" }
 * ```
 */
export interface LoadOrCreateKeyFileOptions {
  /** Where the SPKI public key PEM goes. Default: `public_key.pem` beside the private key. */
  publicKeyPath?: string;
}

/** How long a loser waits for a winner that could not use link() (see createExclusive). */
const EXCLUSIVE_WAIT_MS = 2000;

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function fileError(action: string, path: string, cause: unknown): VapidError {
  return new VapidError(
    "ERR_VAPID_KEY_FILE",
    `cannot ${action} VAPID key file "${path}": ${errnoOf(cause) ?? String(cause)}`,
    { cause, path },
  );
}

/** Re-throws a key-format error with the file's path in front. */
function inFile(error: unknown, path: string): unknown {
  if (!(error instanceof VapidError)) return error;
  return new VapidError(error.code, `${path}: ${error.message}`, { cause: error, path });
}

/** The file's text, or undefined when it does not exist. */
async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (errnoOf(error) === "ENOENT") return undefined;
    throw fileError("read", path, error);
  }
}

async function loadPrivate(path: string, pem: string): Promise<VapidKeys> {
  try {
    return await vapidKeysFromPem(pem);
  } catch (error) {
    throw inFile(error, path);
  }
}

/** fsync a directory so a new name in it survives a crash (best effort: not on every OS). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot open or fsync directories; the data itself is already synced.
  }
}

/** Writes `text` to a fresh temporary file beside `path` with `mode`, synced; returns its name. */
async function writeTemporary(path: string, text: string, mode: number): Promise<string> {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
  );
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(temporary, "wx", mode);
  } catch (error) {
    throw fileError("create", path, error);
  }
  try {
    // The umask may have taken bits away; make the mode exact.
    await handle.chmod(mode);
    await handle.writeFile(text);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temporary).catch(() => {});
    throw fileError("write", path, error);
  }
  await handle.close();
  return temporary;
}

/**
 * Fallback for file systems without hard links: create the file exclusively and write it.
 * A loser may see it half-written, so it re-reads until the key parses or time runs out.
 */
async function createExclusive(path: string, pem: string, keys: VapidKeys): Promise<VapidKeys> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "wx", 0o600);
  } catch (error) {
    if (errnoOf(error) !== "EEXIST") throw fileError("create", path, error);
  }
  if (handle) {
    try {
      await handle.chmod(0o600);
      await handle.writeFile(pem);
      await handle.sync();
    } catch (error) {
      throw fileError("write", path, error);
    } finally {
      await handle.close();
    }
    return keys;
  }
  const deadline = Date.now() + EXCLUSIVE_WAIT_MS;
  for (;;) {
    const text = await readIfExists(path);
    try {
      if (text !== undefined) return await loadPrivate(path, text);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function createPrivate(path: string): Promise<VapidKeys> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw fileError("create the directory of", path, error);
  }
  const keys = await generateVapidKeys();
  // SEC 1 "EC PRIVATE KEY": what py_vapid and the Python original write and read.
  const pem = await vapidKeysToPem(keys, { format: "sec1" });
  const temporary = await writeTemporary(path, pem, 0o600);
  try {
    await link(temporary, path);
    await syncDirectory(dirname(path));
    return keys;
  } catch (error) {
    const code = errnoOf(error);
    if (code === "EEXIST") {
      // Another process (or call) won the race: its key is complete, since it was written
      // and synced before it got its name.
      const text = await readIfExists(path);
      if (text === undefined) throw fileError("read", path, error);
      return loadPrivate(path, text);
    }
    if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "ENOSYS") {
      return createExclusive(path, pem, keys);
    }
    throw fileError("create", path, error);
  } finally {
    await unlink(temporary).catch(() => {});
  }
}

async function ensurePublic(publicKeyPath: string, keys: VapidKeys, privatePath: string) {
  const existing = await readIfExists(publicKeyPath);
  if (existing !== undefined) {
    let publicKey: Uint8Array;
    try {
      publicKey = await publicKeyFromPem(existing);
    } catch (error) {
      throw inFile(error, publicKeyPath);
    }
    if (!bytesEqual(publicKey, keys.publicKey)) {
      throw new VapidError(
        "ERR_VAPID_KEY_MISMATCH",
        `${publicKeyPath} does not hold the public key of ${privatePath}; delete it to have it rewritten from the private key`,
        { path: publicKeyPath },
      );
    }
    return;
  }
  // Racing writers write identical bytes, so replacing by rename is safe and atomic.
  const temporary = await writeTemporary(
    publicKeyPath,
    await publicKeyToPem(keys.publicKey),
    0o644,
  );
  try {
    await rename(temporary, publicKeyPath);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw fileError("write", publicKeyPath, error);
  }
}

/**
 * Loads the VAPID key pair from a PEM private key file, or creates one there if the file does
 * not exist: a new P-256 key in SEC 1 `EC PRIVATE KEY` PEM with mode 0600, created atomically
 * (two processes starting at once end up with the same key). The SPKI public key PEM is
 * written beside it (`public_key.pem` in the same directory unless `publicKeyPath` is given)
 * if missing, and checked if present. Files written by the Python original (py_vapid) load
 * as they are. Errors are `VapidError`s whose message and `path` name the file:
 * `ERR_VAPID_KEY_FILE` (cannot read or write), `ERR_VAPID_PEM_INVALID`,
 * `ERR_VAPID_KEY_MISMATCH` (the public key file belongs to another key).
 *
 * @example
 * ```ts
 * import { createVapid } from "@swp/vapid"
 * import { loadOrCreateKeyFile } from "@swp/vapid/node"
 *
 * const keys = await loadOrCreateKeyFile("private_key.pem")
 * const vapid = createVapid({ keys, subject: "mailto:ops@example.com" })
 * ```
 */
export async function loadOrCreateKeyFile(
  path: string,
  options: LoadOrCreateKeyFileOptions = {},
): Promise<VapidKeys> {
  if (typeof path !== "string" || path.length === 0) {
    throw new TypeError("loadOrCreateKeyFile needs the path of the private key file");
  }
  const publicKeyPath = options.publicKeyPath ?? join(dirname(path), "public_key.pem");
  if (publicKeyPath === path) {
    throw new TypeError("publicKeyPath must differ from the private key path");
  }
  const existing = await readIfExists(path);
  const keys =
    existing === undefined ? await createPrivate(path) : await loadPrivate(path, existing);
  await ensurePublic(publicKeyPath, keys, path);
  return keys;
}
