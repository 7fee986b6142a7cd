/**
 * A JSON value: what `data` may hold, since the message travels as JSON text.
 *
 * @example
 * ```ts
 * const data: JsonValue = { threadId: 42, tags: ["ops"] };
 * ```
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * Text direction of a notification (Notifications standard, `NotificationDirection`).
 *
 * @example
 * ```ts
 * const dir: NotificationDirection = "rtl";
 * ```
 */
export type NotificationDirection = "auto" | "ltr" | "rtl";

/**
 * A button on the notification (Push API, declarative push message, `actions`): the browser
 * opens `navigate` when it is chosen, without running a service worker.
 *
 * @example
 * ```ts
 * const reply: DeclarativeAction = { action: "reply", title: "Reply", navigate: "https://mail.example/m/12#reply" };
 * ```
 */
export interface DeclarativeAction {
  /** Identifier of the action, reported to a service worker when `mutable` is used. Non-empty. */
  action: string;
  /** Label of the button. Non-empty. */
  title: string;
  /** Absolute `https:` URL opened when the button is chosen. */
  navigate: string;
  /** Absolute `https:` URL of the button's icon. */
  icon?: string;
}

/**
 * The `notification` member of a declarative push message: the title, the URL to open, and the
 * `NotificationOptions` members the Push API draft takes over (same names, JSON types).
 *
 * @example
 * ```ts
 * const notification: DeclarativeNotification = {
 *   title: "Build 42 passed",
 *   navigate: "https://ci.example/runs/42",
 *   body: "All 1,204 tests passed in 3 min 12 s.",
 *   tag: "build-42",
 * };
 * ```
 */
export interface DeclarativeNotification {
  /** The notification's title. Non-empty (the specification allows "" but nobody means it). */
  title: string;
  /**
   * Absolute `https:` URL opened when the notification is clicked. Required. Like every URL
   * member, it may be `http:` on a loopback host (`localhost`, 127.0.0.1), a secure context.
   */
  navigate: string;
  /** Text under the title. */
  body?: string;
  /** BCP 47 language tag of title and body (`"en-US"`), or `""` for unknown. */
  lang?: string;
  /** Text direction. */
  dir?: NotificationDirection;
  /** Notifications with the same tag replace each other. */
  tag?: string;
  /** Absolute `https:` URL of an image shown in the notification. */
  image?: string;
  /** Absolute `https:` URL of the notification's icon. */
  icon?: string;
  /** Absolute `https:` URL of a small monochrome badge (Android's status bar). */
  badge?: string;
  /** Vibration pattern in milliseconds (vibrate, pause, vibrate, …); not with `silent: true`. */
  vibrate?: number[];
  /** Time of the event, in milliseconds since 1970-01-01 UTC (may lie in the past or future). */
  timestamp?: number;
  /** Alert again when replacing a notification with the same `tag`; needs a non-empty `tag`. */
  renotify?: boolean;
  /** No sound and no vibration. */
  silent?: boolean;
  /** Keep the notification until the user acts on it. */
  requireInteraction?: boolean;
  /** Any JSON, handed to a service worker (`mutable`) or to the page as `notification.data`. */
  data?: JsonValue;
  /** Buttons, each with its own URL. Browsers show only a few (`Notification.maxActions`). */
  actions?: DeclarativeAction[];
}

/**
 * What {@link createDeclarativeMessage} takes: a declarative push message without the
 * `web_push` marker (added for you; if given it must be 8030).
 *
 * @example
 * ```ts
 * const init: DeclarativeMessageInit = {
 *   notification: { title: "New message", navigate: "https://mail.example/m/12" },
 *   app_badge: 3,
 * };
 * ```
 */
export interface DeclarativeMessageInit {
  /** Optional here; the output always has it. */
  web_push?: 8030;
  /** The notification the browser shows. */
  notification: DeclarativeNotification;
  /**
   * Sets the app badge (Badging API) to this count; 0 clears it. A non-negative integer (the
   * specification allows up to 2^64 − 1; JSON numbers are exact up to 2^53 − 1, the limit here).
   */
  app_badge?: number;
  /**
   * True lets a service worker's `push` event change the notification before it is shown;
   * the browser shows this one if the worker does not. Default false.
   */
  mutable?: boolean;
}

/**
 * A declarative push message (Push API draft; Safari 18.4 and later): JSON that a browser
 * shows as a notification without running a service worker. Browsers without declarative push
 * deliver the same JSON to the service worker's `push` event.
 *
 * @example
 * ```ts
 * const message: DeclarativeMessage = {
 *   web_push: 8030,
 *   notification: { title: "New message", navigate: "https://mail.example/m/12" },
 * };
 * ```
 */
export interface DeclarativeMessage extends DeclarativeMessageInit {
  /** Always 8030 (RFC 8030): marks the JSON as declarative. */
  web_push: 8030;
}
