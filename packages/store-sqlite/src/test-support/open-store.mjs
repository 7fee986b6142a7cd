// Child process for the fault tests: opens a store at argv[2] through the BUILT package,
// optionally writes one row, and prints what happened as one JSON line. Run as an
// unprivileged user when the tests run as root (root ignores file permissions).
import { createSqliteStore } from "@swp/store-sqlite";

const [path, action = "open"] = process.argv.slice(2);
const subscription = {
  endpoint: "https://push.example.net/wpush/open-store",
  keys: {
    p256dh:
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
    auth: "BTBZMqHH6r4Tts7J_aSIgg",
  },
};
try {
  const store = await createSqliteStore({ path });
  if (action === "put") await store.put("open-store", subscription);
  const count = await store.count();
  await store.close();
  console.log(JSON.stringify({ ok: true, count }));
} catch (error) {
  console.log(
    JSON.stringify({
      ok: false,
      name: error.name,
      code: error.code,
      path: error.path,
      message: error.message,
    }),
  );
}
