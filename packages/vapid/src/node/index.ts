/**
 * `@swp/vapid/node`: keeping the VAPID key pair in a file (Node only).
 *
 * @module
 */

export {
  KEY_PERMISSIONS_WARNING,
  type LoadOrCreateKeyFileOptions,
  loadOrCreateKeyFile,
  PUBLIC_KEY_REWRITTEN_WARNING,
} from "./load-or-create-key-file.ts";
