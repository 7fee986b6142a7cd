import type Database from "better-sqlite3";

/**
 * Two-way sync between the Python original's `subscriptors(session_id, subscription,
 * group_id)` table and our `subscriptions`, as SQLite triggers stored in the file.
 *
 * Why triggers: the original keeps running (during a migration, or again after a rollback)
 * and only ever speaks SQL to `subscriptors` — its own INSERT/UPDATE/DELETE by session_id,
 * each in its own connection. Triggers live in the database, so they run inside the
 * original's process too, in the same transaction as its write: there is no sync process
 * to keep alive, no window where one side has committed and the other not, and nothing to
 * change in the original.
 *
 * Why no ping-pong: every trigger writes only when the other table does not already say
 * the same thing (`WHEN NOT EXISTS (… same values …)`), so the echo of a write finds its
 * target equal and stops after one hop. That holds whatever `recursive_triggers` is set to.
 *
 * What the original sees of our rows: the subscription as the browser's
 * `JSON.stringify(subscription)` writes it (`{"endpoint":…,"expirationTime":…,"keys":
 * {"p256dh":…,"auth":…}}`), so its `SELECT … WHERE subscription=?` by JSON text keeps
 * matching what browsers send. A row it wrote keeps its exact text: our side compares
 * values, never rewrites text that already says the same.
 *
 * What we see of its rows: those that pass the checks SQL can make — a JSON object with
 * an `https:` (or `http:`) endpoint, a p256dh of 65 bytes (87 base64url characters, starting 0x04) and
 * a 16-byte auth, in either base64 alphabet, with or without padding; a session id of 1 to
 * 256 characters; a plain decimal integer group id within ±(2^53−1). Whether p256dh lies
 * on the curve cannot be checked in SQL: such a row is stored, and its sends fail at
 * encryption with a rejected result. Rows failing the checks stay in `subscriptors` for
 * the original and are not mirrored (an UPDATE to such a value removes our copy).
 */

/** The trigger names, prefixed so that they never clash with triggers of the application. */
const TRIGGERS = [
  "swp_mirror_subscriptors_insert",
  "swp_mirror_subscriptors_update",
  "swp_mirror_subscriptors_delete",
  "swp_mirror_subscriptions_insert",
  "swp_mirror_subscriptions_update",
  "swp_mirror_subscriptions_delete",
] as const;
/** The three that write into `subscriptors`: they fail every write of ours once it is gone. */
const WRITING_TO_PYTHON = TRIGGERS.slice(3);

const SAFE = "9007199254740991";
/** Milliseconds since the epoch, from SQLite's clock (works on SQLite versions before unixepoch()). */
const NOW_MS = "CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)";

/** Base64 in either alphabet, padding dropped: how parseSubscription canonicalises keys. */
const canonical = (text: string) => `rtrim(replace(replace(${text}, '+', '-'), '/', '_'), '=')`;
const isBase64url = (text: string, length: number) =>
  `(length(${text}) = ${length} AND ${text} NOT GLOB '*[^A-Za-z0-9_-]*')`;

/** The parts of a `subscriptors` row, as SQL expressions over `row` (NEW, OLD or an alias). */
function pythonRow(row: string) {
  // CASE, not AND: SQLite evaluates a CASE lazily, so json_extract never sees text that
  // is not JSON (it would raise "malformed JSON" and fail the original's write).
  const field = (path: string) =>
    `(CASE WHEN json_valid(${row}.subscription) THEN json_extract(${row}.subscription, '${path}') END)`;
  const type = (path: string) =>
    `(CASE WHEN json_valid(${row}.subscription) THEN json_type(${row}.subscription, '${path}') END)`;
  const endpoint = field("$.endpoint");
  const p256dh = canonical(field("$.keys.p256dh"));
  const auth = canonical(field("$.keys.auth"));
  const expirationTime = `(CASE WHEN ${type("$.expirationTime")} IN ('integer', 'real') THEN ${field("$.expirationTime")} END)`;
  const g = `${row}.group_id`;
  const groupId = `CAST(${g} AS INTEGER)`;
  const validGroupId = `(
    (typeof(${g}) = 'integer' AND ${g} BETWEEN -${SAFE} AND ${SAFE})
    OR (typeof(${g}) = 'text' AND length(${g}) BETWEEN 1 AND 17
        AND (${g} NOT GLOB '*[^0-9]*' OR (${g} GLOB '-[0-9]*' AND substr(${g}, 2) NOT GLOB '*[^0-9]*'))
        AND CAST(${g} AS INTEGER) BETWEEN -${SAFE} AND ${SAFE}))`;
  const valid = `(
    typeof(${row}.session_id) = 'text' AND length(${row}.session_id) BETWEEN 1 AND 256
    AND ${validGroupId}
    AND typeof(${row}.subscription) = 'text' AND ${type("$")} = 'object'
    AND ${type("$.endpoint")} = 'text' AND (${endpoint} LIKE 'https://_%' OR ${endpoint} LIKE 'http://_%') AND length(${endpoint}) <= 4096
    AND ${type("$.keys.p256dh")} = 'text' AND ${isBase64url(p256dh, 87)} AND substr(${p256dh}, 1, 1) = 'B'
    AND ${type("$.keys.auth")} = 'text' AND ${isBase64url(auth, 22)}
    AND coalesce(${type("$.expirationTime")}, 'null') IN ('null', 'integer', 'real'))`;
  return { endpoint, p256dh, auth, expirationTime, groupId, valid };
}

/** The `subscriptors` row `python` (an alias or the table name) says what our row `ours` says. */
function sameAsOurs(python: string, ours: string): string {
  const p = pythonRow(python);
  return `${python}.session_id = ${ours}.session_id
    AND ${p.endpoint} = ${ours}.endpoint AND ${p.p256dh} = ${ours}.p256dh AND ${p.auth} = ${ours}.auth
    AND ${p.expirationTime} IS ${ours}.expiration_time AND ${python}.group_id = ${ours}.group_id`;
}

/** What the browser's JSON.stringify(subscription) gives, built from our columns. */
const browserJson = (row: string) =>
  `json_object('endpoint', ${row}.endpoint, 'expirationTime', ${row}.expiration_time,
    'keys', json_object('p256dh', ${row}.p256dh, 'auth', ${row}.auth))`;

/**
 * Copies the `subscriptors` row NEW into `subscriptions` unless it says the same already;
 * every statement also requires `guard` (SQLite triggers have one WHEN for the whole body).
 */
function fromPython(guard: string): string {
  const n = pythonRow("NEW");
  return `
    DELETE FROM subscriptions WHERE endpoint = ${n.endpoint} AND session_id <> NEW.session_id AND ${guard};
    UPDATE subscriptions SET endpoint = ${n.endpoint}, p256dh = ${n.p256dh}, auth = ${n.auth},
        expiration_time = ${n.expirationTime}, group_id = ${n.groupId}, updated_at = ${NOW_MS}
      WHERE session_id = NEW.session_id AND NOT (${sameAsOurs("NEW", "subscriptions")}) AND ${guard};
    INSERT INTO subscriptions (session_id, endpoint, p256dh, auth, expiration_time, group_id, created_at, updated_at)
      SELECT NEW.session_id, ${n.endpoint}, ${n.p256dh}, ${n.auth}, ${n.expirationTime}, ${n.groupId}, ${NOW_MS}, ${NOW_MS}
      WHERE NOT EXISTS (SELECT 1 FROM subscriptions WHERE session_id = NEW.session_id) AND ${guard};`;
}

/** Writes our row (NEW) into `subscriptors` as the original would have stored it. */
const toPython = `
    UPDATE subscriptors SET subscription = ${browserJson("NEW")}, group_id = NEW.group_id
      WHERE session_id = NEW.session_id;
    INSERT INTO subscriptors (session_id, subscription, group_id)
      SELECT NEW.session_id, ${browserJson("NEW")}, NEW.group_id
      WHERE NOT EXISTS (SELECT 1 FROM subscriptors WHERE session_id = NEW.session_id);`;

/** The CREATE TRIGGER statements, in the order of {@link TRIGGERS}. */
function triggerStatements(): string[] {
  const valid = pythonRow("NEW").valid;
  // The echo of our own write, recognised by plain text comparison before any JSON is
  // parsed: what toPython writes is exactly browserJson of our row. Most of a mirrored
  // write's cost is in the JSON functions, and this skips them for every put of ours.
  const ourEcho = `EXISTS (SELECT 1 FROM subscriptions o WHERE o.session_id = NEW.session_id
    AND o.group_id IS NEW.group_id AND NEW.subscription = ${browserJson("o")})`;
  const notOurs = `NOT EXISTS (SELECT 1 FROM subscriptors s WHERE s.session_id = NEW.session_id
    AND ((s.subscription = ${browserJson("NEW")} AND s.group_id = NEW.group_id) OR (${sameAsOurs("s", "NEW")})))`;
  return [
    // The first DELETE of fromPython is the move rule of our put: the session that
    // subscribes an endpoint takes it from any other session id, in both tables.
    `CREATE TRIGGER ${TRIGGERS[0]} AFTER INSERT ON subscriptors WHEN NOT ${ourEcho} AND ${valid}
     BEGIN ${fromPython("1")} END`,
    // An UPDATE to a new session id, or to a value we cannot use, retires our copy of the
    // old row: the original no longer has that subscription under that id. Unless our row
    // already says the same (our own echo of a value the checks here are stricter about).
    `CREATE TRIGGER ${TRIGGERS[1]} AFTER UPDATE ON subscriptors WHEN NOT ${ourEcho}
     BEGIN
       DELETE FROM subscriptions WHERE session_id = OLD.session_id
         AND (OLD.session_id IS NOT NEW.session_id
              OR (NOT ${valid} AND NOT (${sameAsOurs("NEW", "subscriptions")})));
       ${fromPython(valid)}
     END`,
    `CREATE TRIGGER ${TRIGGERS[2]} AFTER DELETE ON subscriptors
     BEGIN DELETE FROM subscriptions WHERE session_id = OLD.session_id; END`,
    `CREATE TRIGGER ${TRIGGERS[3]} AFTER INSERT ON subscriptions WHEN ${notOurs}
     BEGIN ${toPython} END`,
    `CREATE TRIGGER ${TRIGGERS[4]} AFTER UPDATE ON subscriptions WHEN ${notOurs}
     BEGIN ${toPython} END`,
    // Only a row that still says what ours said: when the original itself has just
    // replaced the subscription (and that is why ours goes), its new row stays.
    `CREATE TRIGGER ${TRIGGERS[5]} AFTER DELETE ON subscriptions
     BEGIN DELETE FROM subscriptors WHERE ${sameAsOurs("subscriptors", "OLD")}; END`,
  ];
}

function objects(sqlite: Database.Database, type: "table" | "trigger"): Map<string, string> {
  const rows = sqlite
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = ?")
    .all(type) as Array<{ name: string; sql: string | null }>;
  return new Map(rows.map((row) => [row.name, row.sql ?? ""]));
}

/** What {@link installPythonMirror} did, for tests and for the store's report. */
export interface PythonMirrorOutcome {
  /** The triggers are in place (the database has a `subscriptors` table and sync is on). */
  active: boolean;
  /** The triggers were (re)created by this call. */
  installed: boolean;
}

/**
 * Installs (or checks, or removes) the mirror triggers. Runs inside the store's
 * `BEGIN IMMEDIATE` at open, after the migrations.
 *
 * - No `subscriptors` table: any mirror trigger left on `subscriptions` is dropped (they
 *   would fail every write once the table is gone, e.g. after a `DROP TABLE subscriptors`).
 * - `enabled` false: the triggers are dropped; both tables stay as they are.
 * - Otherwise the triggers are created unless identical ones exist. When they were missing
 *   and `reconcile` is set (the table was not imported in this same opening), the two
 *   tables are first brought together: every valid row of the original's is mirrored into
 *   ours (its version wins on a conflict, as the newer one), then every row of ours it
 *   lacks is written into its table.
 */
export function installPythonMirror(
  sqlite: Database.Database,
  { enabled, reconcile }: { enabled: boolean; reconcile: boolean },
): PythonMirrorOutcome {
  const tables = objects(sqlite, "table");
  const triggers = objects(sqlite, "trigger");
  const drop = (names: readonly string[]) => {
    for (const name of names) if (triggers.has(name)) sqlite.exec(`DROP TRIGGER ${name}`);
  };
  if (!tables.has("subscriptors") || !tables.has("subscriptions")) {
    drop(WRITING_TO_PYTHON);
    return { active: false, installed: false };
  }
  if (!enabled) {
    drop(TRIGGERS);
    return { active: false, installed: false };
  }
  const statements = triggerStatements();
  const current = TRIGGERS.every((name, i) => triggers.get(name) === statements[i]);
  if (current) return { active: true, installed: false };
  const wasActive = TRIGGERS.some((name) => triggers.has(name));
  drop(TRIGGERS);
  for (const statement of statements) sqlite.exec(statement);
  if (reconcile && !wasActive) {
    // Touching a row fires its UPDATE trigger, which does the copying with the same rules.
    sqlite.exec("UPDATE subscriptors SET subscription = subscription");
    sqlite.exec(
      "UPDATE subscriptions SET session_id = session_id WHERE session_id NOT IN (SELECT session_id FROM subscriptors WHERE session_id IS NOT NULL)",
    );
  }
  return { active: true, installed: true };
}
