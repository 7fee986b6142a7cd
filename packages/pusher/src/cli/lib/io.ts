/** A stream the CLI writes to: `process.stdout`, `process.stderr`, or a test's collector. */
export interface OutputStream {
  write(text: string): unknown;
  /** True when the stream is a terminal (progress bars only go to terminals). */
  isTTY?: boolean;
  /** Width of the terminal in characters, when it is one. */
  columns?: number;
}

/** Everything the CLI touches outside itself, so that tests can run it in-process. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Read when an argument is `-` (a message or a subscription from standard input). */
  stdin: AsyncIterable<Uint8Array | string>;
  /** Environment variables (`SWP_SUBJECT`, `SWP_DATA_DIR`). */
  env: Record<string, string | undefined>;
  /** Milliseconds since some fixed point, for the progress bar's throttle and the summary's duration. */
  now: () => number;
}
