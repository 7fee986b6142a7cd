import { PusherError } from "../errors.ts";

/**
 * Imports an optional peer dependency (`@swp/store-sqlite`, `@swp/store-postgres`,
 * `@swp/broadcast`) on first use, so that each use installs only what it needs: a custom
 * store no better-sqlite3, the SQLite default no `pg` or pg-boss. A missing package
 * becomes a `PusherError` that says what to install, not a bare module-resolution error.
 */
export async function importOptional<T>(name: string, needed: string): Promise<T> {
  try {
    return (await import(/* @vite-ignore */ name)) as T;
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    const message = String((error as Error)?.message ?? "");
    if (
      (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
      message.includes(name)
    ) {
      throw new PusherError(
        "ERR_PUSHER_MISSING_PACKAGE",
        `${needed} needs the optional package ${name}: install it next to @swp/pusher (npm install ${name})`,
        { cause: error },
      );
    }
    throw error;
  }
}
