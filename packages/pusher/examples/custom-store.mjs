// A complete custom subscription store: the `SubscriptionStore` contract of @swp/store over
// a table in your own database. Here the database is better-sqlite3, but every statement is
// plain SQL that ports to PostgreSQL or MySQL (placeholders aside). Proven by the conformance
// suite of @swp/store in custom-store.test.ts, and used with `new Pusher({ store })`.
import {
  assertGroupId,
  assertSessionId,
  resolveEndpoint,
  resolveListOptions,
  resolvePut,
  StoreError,
} from "@swp/store";

/**
 * A row of the `push_subscriptions` table, as better-sqlite3 returns it.
 *
 * @typedef {{
 *   session_id: string,
 *   endpoint: string,
 *   subscription: string,
 *   group_id: number,
 *   created_at: number,
 *   updated_at: number,
 * }} Row
 */

/**
 * Keeps push subscriptions in the `push_subscriptions` table of `db`, an open better-sqlite3
 * `Database` that stays yours: `close()` stops the store, not the database.
 *
 * @param {import("better-sqlite3").Database} db
 * @param {{ now?: () => number }} [options] `now`: the clock (ms since the epoch) for the dates.
 * @returns {import("@swp/store").SubscriptionStore}
 */
export function createTableStore(db, { now = Date.now } = {}) {
  db.exec(`CREATE TABLE IF NOT EXISTS push_subscriptions (
    session_id   TEXT    NOT NULL PRIMARY KEY,
    endpoint     TEXT    NOT NULL UNIQUE,   -- one row per browser subscription
    subscription TEXT    NOT NULL,          -- the canonical JSON from resolvePut
    group_id     INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
  )`);
  db.exec(
    "CREATE INDEX IF NOT EXISTS push_subscriptions_group ON push_subscriptions (group_id, session_id)",
  );

  const sql = {
    get: db.prepare("SELECT * FROM push_subscriptions WHERE session_id = ?"),
    byEndpoint: db.prepare("SELECT session_id FROM push_subscriptions WHERE endpoint = ?"),
    deleteOtherHolder: db.prepare(
      "DELETE FROM push_subscriptions WHERE endpoint = ? AND session_id <> ?",
    ),
    upsert: db.prepare(`INSERT INTO push_subscriptions
        (session_id, endpoint, subscription, group_id, created_at, updated_at)
        VALUES (@sessionId, @endpoint, @subscription, @groupId, @now, @now)
      ON CONFLICT (session_id) DO UPDATE SET
        endpoint = excluded.endpoint, subscription = excluded.subscription,
        group_id = excluded.group_id, updated_at = excluded.updated_at`),
    remove: db.prepare("DELETE FROM push_subscriptions WHERE session_id = ?"),
    removeByEndpoint: db.prepare("DELETE FROM push_subscriptions WHERE endpoint = ?"),
    // Keyset pagination (session_id > the last one seen), not OFFSET: rows removed while a
    // notifyAll runs (gone subscriptions) must not make the next page skip rows.
    page: db.prepare(
      "SELECT * FROM push_subscriptions WHERE session_id > ? ORDER BY session_id LIMIT ?",
    ),
    groupPage: db.prepare(
      "SELECT * FROM push_subscriptions WHERE group_id = ? AND session_id > ? ORDER BY session_id LIMIT ?",
    ),
    count: db.prepare("SELECT count(*) AS n FROM push_subscriptions"),
    groupCount: db.prepare("SELECT count(*) AS n FROM push_subscriptions WHERE group_id = ?"),
  };

  // Moving an endpoint to a new session id and writing the row happen together or not at all.
  const put = db.transaction((row) => {
    sql.deleteOtherHolder.run(row.endpoint, row.sessionId);
    sql.upsert.run(row);
  });

  let closed = false;
  const assertOpen = () => {
    if (closed) throw new StoreError("ERR_STORE_CLOSED", "the push_subscriptions store is closed");
  };
  /** @param {Row} row */
  const toStored = (row) => ({
    sessionId: row.session_id,
    subscription: JSON.parse(row.subscription),
    groupId: row.group_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  });

  // Every method is async, so a failure (a bad argument, a database error) is a rejection.
  return {
    async put(sessionId, subscription, groupId = 0) {
      assertOpen();
      // SessionIdError, TypeError (group id) or SubscriptionError, as every store throws them;
      // the subscription comes back canonical (the endpoint as the URL parser writes it).
      const checked = resolvePut(sessionId, subscription, groupId);
      put({
        sessionId: checked.sessionId,
        endpoint: checked.subscription.endpoint,
        subscription: JSON.stringify(checked.subscription),
        groupId: checked.groupId,
        now: now(),
      });
    },

    async remove(sessionId) {
      assertOpen();
      assertSessionId(sessionId);
      return sql.remove.run(sessionId).changes > 0;
    },

    async removeByEndpoint(endpoint) {
      assertOpen();
      // Any spelling of the endpoint finds the canonical one stored by put.
      return sql.removeByEndpoint.run(resolveEndpoint(endpoint)).changes > 0;
    },

    async get(sessionId) {
      assertOpen();
      assertSessionId(sessionId);
      const row = /** @type {Row | undefined} */ (sql.get.get(sessionId));
      return row ? toStored(row) : undefined;
    },

    async findSessionId(endpointOrSubscription) {
      assertOpen();
      // An endpoint URL, a subscription object, or its JSON text.
      const row = /** @type {{ session_id: string } | undefined} */ (
        sql.byEndpoint.get(resolveEndpoint(endpointOrSubscription))
      );
      return row?.session_id;
    },

    list(options) {
      assertOpen();
      // Checked now, so bad options fail at the call; `except` is read once into a set.
      const { groupId, except, pageSize } = resolveListOptions(options);
      return (async function* pages() {
        let after = "";
        for (;;) {
          assertOpen();
          const rows = /** @type {Row[]} */ (
            groupId === undefined
              ? sql.page.all(after, pageSize)
              : sql.groupPage.all(groupId, after, pageSize)
          );
          for (const row of rows) if (!except?.has(row.session_id)) yield toStored(row);
          if (rows.length < pageSize) return;
          after = rows[rows.length - 1].session_id;
        }
      })();
    },

    async count(options = {}) {
      assertOpen();
      // count(*) always returns one row.
      if (options.groupId === undefined) return /** @type {{ n: number }} */ (sql.count.get()).n;
      assertGroupId(options.groupId);
      return /** @type {{ n: number }} */ (sql.groupCount.get(options.groupId)).n;
    },

    async close() {
      closed = true; // the database is the caller's to close
    },
  };
}
