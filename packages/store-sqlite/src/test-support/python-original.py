# Child process for the coexistence tests: the Python original's database code, run by
# Python's own sqlite3 module (its SQLite build, its implicit transactions). The statements
# are the original's (solidwebpush 1.2.3); so is the connection per call and the commit after
# each write. Same JSON-lines protocol as python-original.mjs.
import json
import sqlite3
import sys

PATH = sys.argv[1]

CREATE = """
                    CREATE TABLE subscriptors (
                        session_id VARCHAR(256) NOT NULL PRIMARY KEY,
                        subscription VARCHAR(512) NOT NULL,
                        group_id INT NOT NULL
                    );
                """


def connection():
    conn = sqlite3.connect(PATH)
    conn.row_factory = lambda cursor, row: dict(
        (col[0], row[idx]) for idx, col in enumerate(cursor.description)
    )
    try:
        conn.cursor().executescript(CREATE)
        conn.commit()
    except Exception:
        pass
    return conn


def first(cur, sql, value):
    res = cur.execute(sql, (value,)).fetchone()
    return list(res.values())[0] if res else None


def new_subscription(conn, session_id, subscription, group_id):
    json.loads(subscription)
    cur = conn.cursor()
    if not first(cur, "SELECT subscription FROM subscriptors WHERE session_id=?", session_id):
        old = first(cur, "SELECT session_id FROM subscriptors WHERE subscription=?", subscription)
        if old:
            cur.execute("DELETE FROM subscriptors WHERE session_id = ?", (old,))
            conn.commit()
        cur.execute(
            "INSERT INTO subscriptors (session_id, subscription, group_id) VALUES (?,?,?)",
            (session_id, subscription, group_id),
        )
    else:
        cur.execute(
            "UPDATE subscriptors SET subscription=?, group_id=? WHERE session_id=?",
            (subscription, group_id, session_id),
        )
    conn.commit()


def call(work):
    conn = connection()
    try:
        return work(conn)
    finally:
        conn.close()


def run(op, args):
    if op == "newSubscription":
        return call(lambda c: new_subscription(c, args["sessionId"], args["subscription"], args.get("groupId", 0)))
    if op == "bulk":
        for n in range(args["count"]):
            call(lambda c: new_subscription(c, "%s%d" % (args["prefix"], n), args["subscriptions"][n], n % 3))
        return None
    if op == "removeSubscription":
        def remove(c):
            c.cursor().execute("DELETE FROM subscriptors WHERE session_id = ?", (args["sessionId"],))
            c.commit()
        return call(remove)
    if op == "getSubscription":
        return call(lambda c: first(c.cursor(), "SELECT subscription FROM subscriptors WHERE session_id=?", args["sessionId"]))
    if op == "getGroupId":
        return call(lambda c: first(c.cursor(), "SELECT group_id FROM subscriptors WHERE session_id=?", args["sessionId"]))
    if op == "getIdSession":
        return call(lambda c: first(c.cursor(), "SELECT session_id FROM subscriptors WHERE subscription=?", args["subscription"]))
    if op == "notifyAllRows":
        condition = "" if args.get("groupId") is None else " WHERE group_id=" + str(args["groupId"])
        return call(lambda c: c.cursor().execute("SELECT * FROM subscriptors" + condition).fetchall())
    raise ValueError("unknown op " + op)


for line in sys.stdin:
    command = json.loads(line)
    op = command.pop("op")
    try:
        answer = {"ok": True, "value": run(op, command)}
    except Exception as error:  # reported to the test, which decides
        answer = {"ok": False, "error": str(error)}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
