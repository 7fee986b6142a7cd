// Child process for the coexistence tests: our store on the same file, through the BUILT
// package. Same JSON-lines protocol as python-original.mjs; answers "ready" once open.
import { createInterface } from "node:readline";
import { createSqliteStore } from "@swp/store-sqlite";

const [path] = process.argv.slice(2);
const store = await createSqliteStore({ path });
process.stdout.write(
  `${JSON.stringify({ ok: true, value: "ready", report: store.migrationReport ?? null })}\n`,
);

const commands = {
  put: ({ sessionId, subscription, groupId = 0 }) => store.put(sessionId, subscription, groupId),
  bulk: async ({ prefix, count, subscriptions }) => {
    for (let n = 0; n < count; n++) await store.put(`${prefix}${n}`, subscriptions[n], n % 3);
  },
  remove: ({ sessionId }) => store.remove(sessionId),
  get: async ({ sessionId }) => {
    const row = await store.get(sessionId);
    return row === undefined ? null : { subscription: row.subscription, groupId: row.groupId };
  },
  list: async ({ groupId }) => {
    const rows = [];
    for await (const row of store.list(groupId === undefined ? {} : { groupId })) {
      rows.push({
        sessionId: row.sessionId,
        endpoint: row.subscription.endpoint,
        groupId: row.groupId,
      });
    }
    return rows;
  },
  close: () => store.close(),
};

for await (const line of createInterface({ input: process.stdin })) {
  const { op, ...args } = JSON.parse(line);
  let answer;
  try {
    answer = { ok: true, value: (await commands[op](args)) ?? null };
  } catch (error) {
    answer = { ok: false, error: String(error?.message ?? error), code: error?.code };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
