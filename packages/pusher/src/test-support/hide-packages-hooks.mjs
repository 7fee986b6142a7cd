// The module-resolution hooks behind hide-packages.mjs (they run on Node's loader thread).
import { appendFileSync } from "node:fs";

let hidden = [];
let log;

export function initialize(data) {
  hidden = data.hidden;
  log = data.log;
}

export async function resolve(specifier, context, nextResolve) {
  if (hidden.some((name) => specifier === name || specifier.startsWith(`${name}/`))) {
    if (log) appendFileSync(log, `${specifier}\n`);
    // The same code and wording as Node's own error for a package that is not installed.
    const error = new Error(
      `Cannot find package '${specifier}' imported from ${context.parentURL}`,
    );
    error.code = "ERR_MODULE_NOT_FOUND";
    throw error;
  }
  return nextResolve(specifier, context);
}
