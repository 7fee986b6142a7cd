import type { Kysely } from "kysely";
import type { BroadcastDatabase } from "../schema.ts";

/** One batch: the session ids in `(afterKey, lastKey]`; null bounds are open. */
export interface KeyRange {
  afterKey: string | null;
  lastKey: string | null;
  /** Subscriptions in the range now. */
  expected: number;
}

/**
 * Cuts the audience (every subscription, or one group's) into ranges of `batchSize` session
 * ids, in key order, with a keyset scan: each step asks the primary key (or the
 * `(group_id, session_id)` index) for the `batchSize`-th id after the previous boundary.
 * Only boundaries come back, so memory holds one row per batch, whatever the table size.
 *
 * The first range starts at the beginning and the last one is open-ended, so subscriptions
 * added at either end while the broadcast runs are not lost between ranges.
 */
export async function cutAudience(
  db: Kysely<BroadcastDatabase>,
  groupId: number | undefined,
  batchSize: number,
): Promise<KeyRange[]> {
  const ranges: KeyRange[] = [];
  let after: string | null = null;
  for (;;) {
    let boundary = db.selectFrom("subscriptions").select("session_id");
    if (groupId !== undefined) boundary = boundary.where("group_id", "=", groupId);
    if (after !== null) boundary = boundary.where("session_id", ">", after);
    // OFFSET inside one keyset step: the index walk skips batchSize - 1 entries and stops,
    // the same work as reading the page, without sending it.
    const row = await boundary
      .orderBy("session_id")
      .offset(batchSize - 1)
      .limit(1)
      .executeTakeFirst();
    if (row === undefined) {
      let rest = db.selectFrom("subscriptions").select((e) => e.fn.countAll().as("n"));
      if (groupId !== undefined) rest = rest.where("group_id", "=", groupId);
      if (after !== null) rest = rest.where("session_id", ">", after);
      const { n } = await rest.executeTakeFirstOrThrow();
      const expected = Number(n);
      // The open-ended last range; also the only one of an empty audience, so that
      // subscriptions arriving now still get the message.
      if (expected > 0 || ranges.length === 0)
        ranges.push({ afterKey: after, lastKey: null, expected });
      else ranges[ranges.length - 1]!.lastKey = null;
      return ranges;
    }
    ranges.push({ afterKey: after, lastKey: row.session_id, expected: batchSize });
    after = row.session_id;
  }
}
