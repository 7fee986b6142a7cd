/**
 * `@swp/vapid/node`: keeping the VAPID key pair in a file (Node only).
 *
 * @module
 */

export {
  type LoadOrCreateKeyFileOptions,
  loadOrCreateKeyFile,
} from "./load-or-create-key-file.ts";
