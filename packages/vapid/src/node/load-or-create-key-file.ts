// The key file the facade keeps its identity in. Losing or silently replacing it loses every
// subscriber (their subscriptions are bound to the public key), so creation is atomic and
// race-safe: the key is written in full to a private temporary file in the same directory
// and then hard-linked into place. link() refuses to replace an existing file, so of two
// processes starting at once exactly one wins and the other reads the winner's key.
//
// The private key is the truth, as in the Python original (which regenerates
// private_key.pem and never reads public_key.pem): a public key file that does not match it
// is rewritten from it, with a warning. A private key file that group or others can read
// loads, with a warning once per file per process, as ssh warns about such a key.

import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { VapidError } from "../errors.ts";
import { bytesEqual } from "../lib/der.ts";
import {
  generateVapidKeys,
  publicKeyFromPem,
  publicKeyToPem,
  vapidKeysFromPem,
  vapidKeysToPem,
} from "../node-api.ts";
import type { VapidKeys } from "../types.ts";

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
  /**
   * What to do when the public key file exists but does not hold the private key's public
   * key (or is not a readable PEM public key), e.g. left behind by the Python original after
   * it regenerated `private_key.pem`. `"rewrite"` (default): replace it atomically with the
   * private key's public key and emit a `SWP_VAPID_PUBLIC_KEY_REWRITTEN` warning.
   * `"throw"`: leave it alone and throw `ERR_VAPID_KEY_MISMATCH` (or the PEM error).
   */
  onStalePublicKey?: "rewrite" | "throw";
}

/**
 * `process.emitWarning` code for an existing private key file that its group or others can
 * read (emitted once per file per process).
 *
 * @example
 * ```ts
 * process.on("warning", (w) => {
 *   if ((w as { code?: string }).code === KEY_PERMISSIONS_WARNING) alertOps(w.message)
 * })
 * ```
 */
export const KEY_PERMISSIONS_WARNING = "SWP_VAPID_KEY_PERMISSIONS";

/**
 * `process.emitWarning` code for a public key file that did not match the private key and
 * was rewritten from it.
 *
 * @example
 * ```ts
 * process.on("warning", (w) => {
 *   if ((w as { code?: string }).code === PUBLIC_KEY_REWRITTEN_WARNING) log.info(w.message)
 * })
 * ```
 */
export const PUBLIC_KEY_REWRITTEN_WARNING = "SWP_VAPID_PUBLIC_KEY_REWRITTEN";

/** Private key files already warned about in this process (absolute paths). */
const warnedPermissions = new Set<string>();

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

/**
 * The private key file's text and mode, or undefined when it does not exist. Read through
 * one handle, so the mode belongs to the file whose text was read.
 */
async function readPrivateIfExists(
  path: string,
): Promise<{ text: string; mode: number } | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if (errnoOf(error) === "ENOENT") return undefined;
    throw fileError("read", path, error);
  }
  try {
    const { mode } = await handle.stat();
    return { text: await handle.readFile("utf8"), mode };
  } catch (error) {
    throw fileError("read", path, error);
  } finally {
    await handle.close();
  }
}

/** Warns once per file per process when group or others may read the private key. */
function warnIfExposed(path: string, mode: number): void {
  // Windows has no group/other bits: the mode it reports says nothing about access.
  if (process.platform === "win32" || (mode & 0o077) === 0) return;
  const absolute = resolve(path);
  if (warnedPermissions.has(absolute)) return;
  warnedPermissions.add(absolute);
  const octal = (mode & 0o777).toString(8).padStart(4, "0");
  const who = [mode & 0o070 ? "its group" : "", mode & 0o007 ? "others" : ""].filter(Boolean);
  process.emitWarning(
    `VAPID private key file "${absolute}" is open to ${who.join(" and ")} (mode ${octal}); whoever reads it can sign pushes as this server. Run: chmod 600 "${absolute}"`,
    { type: "SecurityWarning", code: KEY_PERMISSIONS_WARNING },
  );
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

/** Writes the public key PEM atomically (racing writers write identical bytes). */
async function writePublic(publicKeyPath: string, keys: VapidKeys): Promise<void> {
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

async function ensurePublic(
  publicKeyPath: string,
  keys: VapidKeys,
  privatePath: string,
  onStale: "rewrite" | "throw",
) {
  const existing = await readIfExists(publicKeyPath);
  if (existing === undefined) return writePublic(publicKeyPath, keys);
  let found: Uint8Array | undefined;
  let unreadable: unknown;
  try {
    found = await publicKeyFromPem(existing);
  } catch (error) {
    unreadable = error;
  }
  if (found !== undefined && bytesEqual(found, keys.publicKey)) return;
  if (onStale === "throw") {
    if (unreadable !== undefined) throw inFile(unreadable, publicKeyPath);
    throw new VapidError(
      "ERR_VAPID_KEY_MISMATCH",
      `${publicKeyPath} does not hold the public key of ${privatePath}; delete it to have it rewritten from the private key`,
      { path: publicKeyPath },
    );
  }
  await writePublic(publicKeyPath, keys);
  process.emitWarning(
    `${publicKeyPath} ${unreadable === undefined ? "held the public key of another private key" : "was not a readable public key PEM"}; rewrote it from ${privatePath} (the private key is the truth; browsers that got their applicationServerKey from the old file must subscribe again).`,
    { code: PUBLIC_KEY_REWRITTEN_WARNING },
  );
}

/**
 * Loads the VAPID key pair from a PEM private key file, or creates one there if the file does
 * not exist: a new P-256 key in SEC 1 `EC PRIVATE KEY` PEM with mode 0600, created atomically
 * (two processes starting at once end up with the same key). The SPKI public key PEM is
 * written beside it (`public_key.pem` in the same directory unless `publicKeyPath` is given)
 * if missing, and checked if present: the private key is the truth, so a stale or unreadable
 * public key file is rewritten from it with a `SWP_VAPID_PUBLIC_KEY_REWRITTEN` warning
 * (`onStalePublicKey: "throw"` refuses instead). An existing private key file that group or
 * others can read loads with a `SWP_VAPID_KEY_PERMISSIONS` warning (`process.emitWarning`,
 * once per file per process), as ssh warns. Files written by the Python original (py_vapid)
 * load as they are. Errors are `VapidError`s whose message and `path` name the file:
 * `ERR_VAPID_KEY_FILE` (cannot read or write), `ERR_VAPID_PEM_INVALID`,
 * `ERR_VAPID_KEY_MISMATCH` (with `onStalePublicKey: "throw"`: the public key file belongs
 * to another key).
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
  const onStale = options.onStalePublicKey ?? "rewrite";
  if (onStale !== "rewrite" && onStale !== "throw") {
    throw new TypeError(`onStalePublicKey must be "rewrite" or "throw", got ${String(onStale)}`);
  }
  const existing = await readPrivateIfExists(path);
  let keys: VapidKeys;
  if (existing === undefined) {
    keys = await createPrivate(path);
  } else {
    keys = await loadPrivate(path, existing.text);
    warnIfExposed(path, existing.mode);
  }
  await ensurePublic(publicKeyPath, keys, path, onStale);
  return keys;
}
