import { DeclarativeError } from "../errors.ts";
import { DECLARATIVE_WEB_PUSH } from "../limits.ts";
import type {
  DeclarativeAction,
  DeclarativeMessage,
  DeclarativeNotification,
  NotificationDirection,
} from "../types.ts";
import {
  checkBoolean,
  checkHttpsUrl,
  checkJson,
  checkKnownMembers,
  checkLanguageTag,
  checkString,
  checkUnsignedInteger,
  isRecord,
  requireRecord,
} from "./checks.ts";
import { describe } from "./describe.ts";

// Members in the order of the Push API draft ("declarative push message"); the output keeps it.
const MESSAGE_MEMBERS = ["web_push", "notification", "app_badge", "mutable"] as const;
const NOTIFICATION_MEMBERS = [
  "title",
  "navigate",
  "dir",
  "lang",
  "body",
  "tag",
  "image",
  "icon",
  "badge",
  "vibrate",
  "timestamp",
  "renotify",
  "silent",
  "requireInteraction",
  "data",
  "actions",
] as const;
const ACTION_MEMBERS = ["action", "title", "navigate", "icon"] as const;
const DIRECTIONS: readonly NotificationDirection[] = ["auto", "ltr", "rtl"];

// Mistakes seen in the wild, mostly from the first WebKit explainer (title/options/
// default_action_url at the top) and from the WebKit blog's example (app_badge inside
// notification): say where the member belongs instead of only "unknown".
const MESSAGE_HINTS: Record<string, string> = {
  title: "title belongs inside notification",
  options: "the NotificationOptions members go directly inside notification",
  default_action_url: "the URL to open is notification.navigate",
  url: "the URL to open is notification.navigate",
  navigate: "navigate belongs inside notification",
};
const NOTIFICATION_HINTS: Record<string, string> = {
  url: "the URL to open is navigate",
  app_badge: "app_badge belongs at the top level, next to notification",
  mutable: "mutable belongs at the top level, next to notification",
  options: "the NotificationOptions members go directly inside notification",
  require_interaction: "the member is requireInteraction",
};
const ACTION_HINTS: Record<string, string> = { url: "the URL to open is navigate" };

/**
 * Checks `value` member by member against the Push API draft's declarative push message and
 * returns a fresh copy with only the members that were set, in the draft's order.
 * `requireMarker` is false for the builder's input, where `web_push` may be left out.
 */
export function validateMessage(value: unknown, requireMarker: boolean): DeclarativeMessage {
  if (!isRecord(value)) {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_INVALID_TYPE",
      `a declarative push message must be an object, got ${describe(value)}`,
    );
  }
  checkKnownMembers(value, MESSAGE_MEMBERS, "", MESSAGE_HINTS);
  const marker = value.web_push;
  if (marker === undefined && requireMarker) {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_MISSING_FIELD",
      `web_push is required and must be ${DECLARATIVE_WEB_PUSH}`,
      { field: "web_push" },
    );
  }
  if (marker !== undefined && marker !== DECLARATIVE_WEB_PUSH) {
    throw new DeclarativeError(
      typeof marker === "number" ? "ERR_DECLARATIVE_INVALID_VALUE" : "ERR_DECLARATIVE_INVALID_TYPE",
      `web_push must be the number ${DECLARATIVE_WEB_PUSH}, got ${describe(marker)}`,
      { field: "web_push" },
    );
  }
  const message: DeclarativeMessage = {
    web_push: DECLARATIVE_WEB_PUSH,
    notification: validateNotification(requireRecord(value.notification, "notification")),
  };
  const appBadge = checkUnsignedInteger(value.app_badge, "app_badge");
  if (appBadge !== undefined) message.app_badge = appBadge;
  const mutable = checkBoolean(value.mutable, "mutable");
  if (mutable !== undefined) message.mutable = mutable;
  return message;
}

function validateNotification(input: Record<string, unknown>): DeclarativeNotification {
  const path = "notification";
  checkKnownMembers(input, NOTIFICATION_MEMBERS, path, NOTIFICATION_HINTS);
  const out: DeclarativeNotification = {
    title: checkString(input.title, `${path}.title`, { required: true, nonEmpty: true })!,
    navigate: checkHttpsUrl(input.navigate, `${path}.navigate`, true)!,
  };
  if (input.dir !== undefined) {
    const dir = checkString(input.dir, `${path}.dir`)!;
    if (!DIRECTIONS.includes(dir as NotificationDirection)) {
      throw new DeclarativeError(
        "ERR_DECLARATIVE_INVALID_VALUE",
        `${path}.dir must be "auto", "ltr" or "rtl", got ${describe(dir)}`,
        { field: `${path}.dir` },
      );
    }
    out.dir = dir as NotificationDirection;
  }
  const lang = checkLanguageTag(input.lang, `${path}.lang`);
  if (lang !== undefined) out.lang = lang;
  for (const key of ["body", "tag"] as const) {
    const text = checkString(input[key], `${path}.${key}`);
    if (text !== undefined) out[key] = text;
  }
  for (const key of ["image", "icon", "badge"] as const) {
    const url = checkHttpsUrl(input[key], `${path}.${key}`, false);
    if (url !== undefined) out[key] = url;
  }
  if (input.vibrate !== undefined) out.vibrate = validateVibrate(input.vibrate, `${path}.vibrate`);
  const timestamp = checkUnsignedInteger(input.timestamp, `${path}.timestamp`);
  if (timestamp !== undefined) out.timestamp = timestamp;
  for (const key of ["renotify", "silent", "requireInteraction"] as const) {
    const flag = checkBoolean(input[key], `${path}.${key}`);
    if (flag !== undefined) out[key] = flag;
  }
  if (input.data !== undefined) out.data = checkJson(input.data, `${path}.data`);
  if (input.actions !== undefined) out.actions = validateActions(input.actions, `${path}.actions`);

  // The Notifications standard's "create a notification" throws a TypeError for these two, so
  // a browser drops the whole message (Push API: the parser returns failure).
  if (out.silent === true && out.vibrate !== undefined) {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_CONFLICT",
      `${path}.vibrate cannot be set when ${path}.silent is true`,
      { field: `${path}.vibrate` },
    );
  }
  if (out.renotify === true && (out.tag === undefined || out.tag === "")) {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_CONFLICT",
      `${path}.renotify is true, which needs a non-empty ${path}.tag`,
      { field: `${path}.renotify` },
    );
  }
  return out;
}

// The Vibration API takes unsigned long durations (0 .. 2^32 − 1 ms).
const MAX_VIBRATION = 2 ** 32 - 1;

function validateVibrate(value: unknown, path: string): number[] {
  if (!Array.isArray(value)) {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_INVALID_TYPE",
      `${path} must be an array of milliseconds, got ${describe(value)}`,
      { field: path },
    );
  }
  return value.map((item, i) => checkUnsignedInteger(item, `${path}[${i}]`, MAX_VIBRATION)!);
}

function validateActions(value: unknown, path: string): DeclarativeAction[] {
  if (!Array.isArray(value)) {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_INVALID_TYPE",
      `${path} must be an array of actions, got ${describe(value)}`,
      { field: path },
    );
  }
  return value.map((item, i) => {
    const where = `${path}[${i}]`;
    const input = requireRecord(item, where);
    checkKnownMembers(input, ACTION_MEMBERS, where, ACTION_HINTS);
    const action: DeclarativeAction = {
      action: checkString(input.action, `${where}.action`, { required: true, nonEmpty: true })!,
      title: checkString(input.title, `${where}.title`, { required: true, nonEmpty: true })!,
      navigate: checkHttpsUrl(input.navigate, `${where}.navigate`, true)!,
    };
    const icon = checkHttpsUrl(input.icon, `${where}.icon`, false);
    if (icon !== undefined) action.icon = icon;
    return action;
  });
}
