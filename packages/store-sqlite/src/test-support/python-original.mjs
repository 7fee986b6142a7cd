// Child process for the coexistence tests: the Python original's database code, in Node.
// Every statement is the original's own text (solidwebpush 1.2.3, Pusher's @__database__
// methods), and so is its way of using SQLite: a new connection for each public call, an
// attempt to CREATE its table first (the error when it exists is ignored), and a commit
// after each write. Reads JSON commands on stdin, one per line; answers one JSON line each.
import { createInterface } from "node:readline";
import Database from "better-sqlite3";

const [path] = process.argv.slice(2);

// The original's exact statements.
const CREATE = `
                    CREATE TABLE subscriptors (
                        session_id VARCHAR(256) NOT NULL PRIMARY KEY,
                        subscription VARCHAR(512) NOT NULL,
                        group_id INT NOT NULL
                    );
                `;
const INSERT = "INSERT INTO subscriptors (session_id, subscription, group_id) VALUES (?,?,?)";
const UPDATE = "UPDATE subscriptors SET subscription=?, group_id=? WHERE session_id=?";
const DELETE = "DELETE FROM subscriptors WHERE session_id = ?";
const BY_SUBSCRIPTION = "SELECT session_id FROM subscriptors WHERE subscription=?";
const SUBSCRIPTION = "SELECT subscription FROM subscriptors WHERE session_id=?";
const GROUP_ID = "SELECT group_id FROM subscriptors WHERE session_id=?";
const ALL = "SELECT * FROM subscriptors";

/** One call of the original: connect (timeout 5 s, Python's default), try CREATE, work, close. */
function withConnection(work) {
  const db = new Database(path, { timeout: 5000 });
  try {
    try {
      db.exec(CREATE);
    } catch {
      // "table subscriptors already exists": the original ignores every error here.
    }
    return work(db);
  } finally {
    db.close();
  }
}

const first = (db, sql, value) => db.prepare(sql).pluck().get(value) ?? null;

/** newSubscription: the original's logic, each write its own committed transaction. */
function newSubscription(db, sessionId, subscription, groupId) {
  JSON.parse(subscription); // SubscriptionError in the original
  if (!first(db, SUBSCRIPTION, sessionId)) {
    const old = first(db, BY_SUBSCRIPTION, subscription);
    if (old) db.prepare(DELETE).run(old);
    db.prepare(INSERT).run(sessionId, subscription, groupId);
  } else {
    db.prepare(UPDATE).run(subscription, groupId, sessionId);
  }
}

const commands = {
  newSubscription: ({ sessionId, subscription, groupId = 0 }) =>
    withConnection((db) => newSubscription(db, sessionId, subscription, groupId)),
  bulk: ({ prefix, count, subscriptions }) => {
    for (let n = 0; n < count; n++) {
      withConnection((db) => newSubscription(db, `${prefix}${n}`, subscriptions[n], n % 3));
    }
  },
  removeSubscription: ({ sessionId }) =>
    withConnection((db) => {
      db.prepare(DELETE).run(sessionId);
    }),
  getSubscription: ({ sessionId }) => withConnection((db) => first(db, SUBSCRIPTION, sessionId)),
  getGroupId: ({ sessionId }) => withConnection((db) => first(db, GROUP_ID, sessionId)),
  getIdSession: ({ subscription }) =>
    withConnection((db) => first(db, BY_SUBSCRIPTION, subscription)),
  notifyAllRows: ({ groupId }) =>
    // notifyAll's query, group id concatenated into the SQL as the original does.
    withConnection((db) =>
      db.prepare(groupId === undefined ? ALL : `${ALL} WHERE group_id=${groupId}`).all(),
    ),
};

for await (const line of createInterface({ input: process.stdin })) {
  const { op, ...args } = JSON.parse(line);
  let answer;
  try {
    answer = { ok: true, value: commands[op](args) ?? null };
  } catch (error) {
    answer = { ok: false, error: String(error?.message ?? error), code: error?.code };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
