// What the examples read from their environment, so that the same files run against a real
// push service and, in the tests, against a local fake one.
//
//   SWP_DATA_DIR     where private_key.pem, public_key.pem and subscriptors.db live (default: .)
//   SWP_SUBJECT      your VAPID contact, "mailto:you@example.com" (read by Pusher itself)
//   SWP_CA_FILE      a CA certificate PEM to trust as well (a local or on-premise push service)
//   SWP_ALLOW_HOSTS  comma-separated hosts exempt from the private-address guard (127.0.0.1)
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The `new Pusher()` options the environment asks for. */
export function pusherOptions() {
  const dir = process.env.SWP_DATA_DIR ?? ".";
  const options = {
    keyPath: join(dir, "private_key.pem"),
    dbPath: join(dir, "subscriptors.db"),
  };
  if (process.env.SWP_CA_FILE) options.ca = readFileSync(process.env.SWP_CA_FILE, "utf8");
  if (process.env.SWP_ALLOW_HOSTS) options.allowHosts = process.env.SWP_ALLOW_HOSTS.split(",");
  return options;
}

/** A subscription given on the command line: its JSON text, or the path of a JSON file. */
export function subscriptionArgument(value) {
  if (!value) {
    console.error("usage: pass the browser's subscription as JSON text or as a JSON file");
    process.exit(64);
  }
  return value.trimStart().startsWith("{") ? value : readFileSync(value, "utf8");
}
