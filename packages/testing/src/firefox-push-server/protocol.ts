/**
 * The messages of Mozilla's push WebSocket protocol (the one Firefox speaks to
 * `dom.push.serverURL`, as autopush implements it), reduced to what Firefox sends and
 * expects. Every frame is one JSON object with a `messageType`; `{}` is a ping.
 *
 * @module
 */

/** Ack codes Firefox sends for a delivered notification (`ack.updates[].code`). */
export const ACK_CODES = {
  /** The service worker received the message. */
  delivered: 100,
  /** Firefox could not decrypt the message (wrong keys, bad headers, corrupt body). */
  decryptionFailed: 101,
  /** Decrypted, but not delivered (e.g. no service worker for the scope). */
  notDelivered: 102,
} as const;

/** `hello` from Firefox: its uaid only when it already has subscriptions. */
export interface HelloMessage {
  messageType: "hello";
  uaid?: string;
  channelIDs?: string[];
  use_webpush?: boolean;
  broadcasts?: Record<string, string>;
}

/** `register`: a new subscription; `key` is the padded base64url applicationServerKey. */
export interface RegisterMessage {
  messageType: "register";
  channelID: string;
  key?: string;
}

/** `unregister`: a dropped subscription, with a reason code (200 manual, 201 quota, 202 revoked). */
export interface UnregisterMessage {
  messageType: "unregister";
  channelID: string;
  code?: number;
}

/** `ack`: the outcome of each notification, see {@link ACK_CODES}. */
export interface AckMessage {
  messageType: "ack";
  updates: { channelID: string; version: string; code?: number }[];
}

/** `nack`: a delivery error reported after the ack (3xx codes: the worker threw or rejected). */
export interface NackMessage {
  messageType: "nack";
  version: string;
  code?: number;
}

/** Headers forwarded with a notification, named as Firefox's PushCrypto reads them. */
export interface NotificationHeaders {
  encoding: string;
  crypto_key?: string;
  encryption?: string;
}

/** `notification` to Firefox: one push message; `data` is the encrypted body in base64url. */
export interface NotificationMessage {
  messageType: "notification";
  channelID: string;
  version: string;
  data?: string;
  headers?: NotificationHeaders;
}

/** Any message Firefox may send that this server understands. */
export type ClientMessage =
  | HelloMessage
  | RegisterMessage
  | UnregisterMessage
  | AckMessage
  | NackMessage;

/**
 * Parses one WebSocket text frame from Firefox. Returns `"ping"` for `{}` or
 * `messageType: "ping"`, `undefined` for anything unusable (ignored, as autopush does).
 */
export function parseClientMessage(text: string): ClientMessage | "ping" | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const message = value as Record<string, unknown>;
  if (message.messageType === undefined || message.messageType === "ping") return "ping";
  switch (message.messageType) {
    case "hello":
      return message as unknown as HelloMessage;
    case "register":
    case "unregister":
      return typeof message.channelID === "string"
        ? (message as unknown as RegisterMessage | UnregisterMessage)
        : undefined;
    case "ack":
      return Array.isArray(message.updates) ? (message as unknown as AckMessage) : undefined;
    case "nack":
      return typeof message.version === "string" ? (message as unknown as NackMessage) : undefined;
    default:
      return undefined;
  }
}
