import type { PushProgress } from "../../push-progress.ts";
import type { OutputStream } from "./io.ts";

/** Least time between two redraws: a terminal does not need more than ten frames a second. */
const FRAME_MS = 100;

/** A one-line progress bar redrawn in place on a terminal. */
export interface ProgressBar {
  /** Redraws with the latest counts (at most once per frame, and always at the end). */
  update(progress: PushProgress): void;
  /** Erases the bar, leaving the line free for the summary. */
  finish(): void;
}

/** The bar's text for `progress` within `width` characters. Exported for tests. */
export function renderProgress(progress: PushProgress, width: number): string {
  const { done, total, sent, gone, failed } = progress;
  const counts = `sent ${sent}  gone ${gone}  failed ${failed}`;
  if (total === undefined || total === 0) return `${done} done  ${counts}`.slice(0, width);
  const label = `${done}/${total}  ${counts}`;
  const barWidth = Math.max(0, Math.min(40, width - label.length - 3));
  if (barWidth < 5) return label.slice(0, width);
  const filled = Math.min(barWidth, Math.floor((done / total) * barWidth));
  return `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ${label}`;
}

/**
 * A progress bar on `stream` (standard error), which must be a terminal: the caller checks
 * `isTTY` so that pipes and log files never receive carriage returns.
 */
export function createProgressBar(stream: OutputStream, now: () => number): ProgressBar {
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  const width = Math.max(20, (stream.columns ?? 80) - 1);
  return {
    update(progress) {
      const t = now();
      const last = progress.total !== undefined && progress.done >= progress.total;
      if (!last && t - lastDraw < FRAME_MS) return;
      lastDraw = t;
      drawn = true;
      // \r returns to the start of the line, ESC [K erases what a longer frame left.
      stream.write(`\r${renderProgress(progress, width)}\x1b[K`);
    },
    finish() {
      if (drawn) stream.write("\r\x1b[K");
    },
  };
}
