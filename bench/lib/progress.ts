// One progress line on stderr while a long step runs: rewritten in place on a terminal,
// a fresh line every few seconds otherwise (logs of background runs).

const tty = process.stderr.isTTY === true;
let last = 0;

/** Shows `text` as the current progress. */
export function progress(text: string): void {
  const now = Date.now();
  if (tty) {
    process.stderr.write(`\r\x1b[K${text}`);
  } else if (now - last >= 5000) {
    process.stderr.write(`${text}\n`);
    last = now;
  }
}

/** Ends the progress line (a terminal keeps the cursor on a clean line). */
export function progressDone(text?: string): void {
  if (tty) process.stderr.write("\r\x1b[K");
  if (text) process.stderr.write(`${text}\n`);
  last = 0;
}
