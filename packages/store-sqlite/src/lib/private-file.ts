import { chmodSync, existsSync } from "node:fs";

/** Owner read and write only: the file holds every subscriber's auth secret. */
export const PRIVATE_FILE_MODE = 0o600;

/** True when `path` names a file on disk (not `":memory:"` nor `""`, SQLite's temporary database). */
export function isFilePath(path: string): boolean {
  return path !== ":memory:" && path !== "";
}

/**
 * Opens a database file with `open` and, when this call created it, restricts it to its
 * owner before anything is written into it. SQLite creates the file at open (empty, with
 * mode 0644 less the umask) and gives the `-wal` and `-shm` files it creates later the
 * database file's mode, so one chmod of the still-empty file covers all three. A file that
 * already existed keeps the mode its owner gave it (a group-readable file may be on purpose).
 *
 * chmod, not `process.umask()`: the umask is process-wide, and changing it even briefly
 * would also apply to files other code (libuv's thread pool) creates meanwhile.
 */
export function openPrivately<T extends { close(): unknown }>(path: string, open: () => T): T {
  const creates = isFilePath(path) && !existsSync(path);
  const handle = open();
  if (creates) {
    try {
      chmodSync(path, PRIVATE_FILE_MODE);
    } catch (error) {
      // Another process created the file between our check and our open, and owns it: it
      // restricts it itself. Anything else (the file vanished, an odd file system) is real.
      if ((error as { code?: unknown }).code !== "EPERM") {
        handle.close();
        throw error;
      }
    }
  }
  return handle;
}
