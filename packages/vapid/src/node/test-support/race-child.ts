// One contender in the two-process race: waits for "go" on stdin so both start together,
// then loads-or-creates the key file and prints the public key (never the private key).
import { loadOrCreateKeyFile } from "../load-or-create-key-file.ts";

const path = process.argv[2];
if (!path) throw new Error("usage: race-child <private key path>");
process.stdout.write("ready\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
const keys = await loadOrCreateKeyFile(path);
process.stdout.write(
  `${JSON.stringify({ publicKey: Buffer.from(keys.publicKey).toString("base64url") })}\n`,
);
process.stdin.destroy();
