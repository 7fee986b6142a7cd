import type { StoredSubscription } from "@swp/store";
import type { Selectable } from "kysely";
import type { SubscriptionsTable } from "../schema.ts";

/**
 * A `subscriptions` row as the contract's {@link StoredSubscription}. The `bigint` columns
 * come back as numbers from SQLite and as strings from `pg`, hence `Number()` on each.
 */
export function toStored(row: Selectable<SubscriptionsTable>): StoredSubscription {
  const expirationTime = row.expiration_time === null ? null : Number(row.expiration_time);
  return {
    sessionId: row.session_id,
    subscription: {
      endpoint: row.endpoint,
      keys: { p256dh: row.p256dh, auth: row.auth },
      expirationTime,
    },
    groupId: Number(row.group_id),
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}
