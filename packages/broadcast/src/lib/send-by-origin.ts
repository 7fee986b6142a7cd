import type { PushResult, SendAllOptions, Sender, SendItem } from "@swp/sender";

function originOf(item: SendItem): string {
  const endpoint = (item.subscription as { endpoint?: unknown })?.endpoint;
  if (typeof endpoint !== "string") return "";
  try {
    return new URL(endpoint).origin;
  } catch {
    return "";
  }
}

/**
 * Sends `items` with one `sendAll` run per push-service origin, all at once, and hands every
 * result to `onResult`. Why lanes: a 429 (or 5xx) answer makes the sender wait before the
 * retry (`Retry-After`, or backoff) while the item keeps its place in the run's window. In a
 * single run, a throttled origin fills the window with waiting items and every other origin
 * waits behind them; with a run per origin only that origin's lane waits. The sender's
 * own bounds (`concurrency` in flight overall, `perOriginConcurrency` per origin) still hold:
 * a waiting item holds no connection slot.
 */
export async function sendByOrigin(
  sender: Sender,
  items: readonly SendItem[],
  options: SendAllOptions,
  onResult: (result: PushResult) => void,
): Promise<void> {
  const lanes = new Map<string, SendItem[]>();
  for (const item of items) {
    const origin = originOf(item);
    let lane = lanes.get(origin);
    if (lane === undefined) {
      lane = [];
      lanes.set(origin, lane);
    }
    lane.push(item);
  }
  await Promise.all(
    [...lanes.values()].map(async (lane) => {
      for await (const result of sender.sendAll(lane, options)) onResult(result);
    }),
  );
}
