// The server's public key, to paste into the page that subscribes (the applicationServerKey
// of pushManager.subscribe()). The key pair is created on the first run, in private_key.pem
// and public_key.pem, and the same key is printed on every run after that.
//
//   node 0-print-public-key.mjs
import { Pusher } from "@swp/pusher";
import { pusherOptions } from "./env.mjs";

const pusher = new Pusher(pusherOptions());
console.log(await pusher.getUrlB64PublicKey()); // base64url, for applicationServerKey
await pusher.close();
