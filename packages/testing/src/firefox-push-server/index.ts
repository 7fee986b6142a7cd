export type {
  AckEvent,
  AckOutcome,
  FirefoxPushEvent,
  FirefoxPushEventType,
  HelloEvent,
  NackEvent,
  PushEvent,
  RegisterEvent,
  RejectedEvent,
  UnregisterEvent,
  WaitForOptions,
} from "./events.ts";
export { firefoxPushPrefs } from "./firefox-push-prefs.ts";
export {
  type FirefoxPushServer,
  type FirefoxPushServerOptions,
  startFirefoxPushServer,
} from "./firefox-push-server.ts";
export { ACK_CODES } from "./protocol.ts";
