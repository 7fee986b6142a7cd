import type Database from "better-sqlite3";
import type { SqliteDatabase } from "kysely";

/**
 * The better-sqlite3 database as kysely's `SqliteDialect` sees it, with prepared
 * statements kept for reuse: kysely's driver calls `prepare(sql)` for every query, and
 * re-preparing the same few statements (BEGIN, the upsert, COMMIT, the page query) is a
 * measurable part of each `put`. The cache is small and least-recently-used; statements
 * are only ever run to completion (`all`/`run`), never left mid-iteration, so reuse is
 * safe on kysely's single, mutex-guarded connection.
 */
export function withStatementCache(db: Database.Database, size = 64): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql) {
      let statement = cache.get(sql);
      if (statement !== undefined) {
        // Re-insert: Map order is the recency order.
        cache.delete(sql);
      } else {
        statement = db.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement as unknown as ReturnType<SqliteDatabase["prepare"]>;
    },
  };
}
