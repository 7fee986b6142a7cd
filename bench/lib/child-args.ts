// A bench child's arguments arrive as its first IPC message (a command line cannot carry a
// thousand receiver keys).

/** Resolves with the arguments the parent sent. */
export function childArgs<T>(): Promise<T> {
  return new Promise((resolve) => {
    process.once("message", (message) => resolve((message as { args: T }).args));
  });
}
