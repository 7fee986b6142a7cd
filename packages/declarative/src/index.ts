export { createDeclarativeMessage } from "./create-declarative-message.ts";
export { DeclarativeError, type DeclarativeErrorCode } from "./errors.ts";
export { isDeclarativeMessage } from "./is-declarative-message.ts";
export { DECLARATIVE_WEB_PUSH, MAX_DECLARATIVE_SIZE } from "./limits.ts";
export { parseDeclarativeMessage } from "./parse-declarative-message.ts";
export { serializeDeclarativeMessage } from "./serialize-declarative-message.ts";
export type {
  DeclarativeAction,
  DeclarativeMessage,
  DeclarativeMessageInit,
  DeclarativeNotification,
  JsonValue,
  NotificationDirection,
} from "./types.ts";
