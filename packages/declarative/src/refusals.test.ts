import { describe, expect, it } from "vitest";
import { createDeclarativeMessage } from "./create-declarative-message.ts";
import { DeclarativeError, type DeclarativeErrorCode } from "./errors.ts";

const minimal = { title: "Hi", navigate: "https://app.example/inbox" };

/** Calls the builder with an input that bypasses the types, as JavaScript callers can. */
function build(input: unknown) {
  return createDeclarativeMessage(input as never);
}

function refusal(input: unknown): DeclarativeError {
  try {
    build(input);
  } catch (error) {
    expect(error).toBeInstanceOf(DeclarativeError);
    return error as DeclarativeError;
  }
  throw new Error("expected a DeclarativeError, got a message");
}

function withNotification(extra: Record<string, unknown>): unknown {
  return { notification: { ...minimal, ...extra } };
}

type Case = [name: string, input: unknown, code: DeclarativeErrorCode, field: string | undefined];

const cases: Case[] = [
  // the message itself
  ["a string instead of a message", "hi", "ERR_DECLARATIVE_INVALID_TYPE", undefined],
  ["null", null, "ERR_DECLARATIVE_INVALID_TYPE", undefined],
  ["an array", [], "ERR_DECLARATIVE_INVALID_TYPE", undefined],
  [
    "web_push 9001",
    { web_push: 9001, notification: minimal },
    "ERR_DECLARATIVE_INVALID_VALUE",
    "web_push",
  ],
  [
    'web_push "8030"',
    { web_push: "8030", notification: minimal },
    "ERR_DECLARATIVE_INVALID_TYPE",
    "web_push",
  ],
  ["no notification", {}, "ERR_DECLARATIVE_MISSING_FIELD", "notification"],
  ["notification a string", { notification: "Hi" }, "ERR_DECLARATIVE_INVALID_TYPE", "notification"],
  ["notification an array", { notification: [] }, "ERR_DECLARATIVE_INVALID_TYPE", "notification"],
  [
    "app_badge negative",
    { notification: minimal, app_badge: -1 },
    "ERR_DECLARATIVE_INVALID_VALUE",
    "app_badge",
  ],
  [
    "app_badge fractional",
    { notification: minimal, app_badge: 1.5 },
    "ERR_DECLARATIVE_INVALID_VALUE",
    "app_badge",
  ],
  [
    "app_badge beyond 2^53 - 1",
    { notification: minimal, app_badge: 2 ** 53 },
    "ERR_DECLARATIVE_INVALID_VALUE",
    "app_badge",
  ],
  [
    "app_badge NaN",
    { notification: minimal, app_badge: Number.NaN },
    "ERR_DECLARATIVE_INVALID_VALUE",
    "app_badge",
  ],
  [
    'app_badge "1" (the WebKit blog example)',
    { notification: minimal, app_badge: "1" },
    "ERR_DECLARATIVE_INVALID_TYPE",
    "app_badge",
  ],
  [
    "mutable a string",
    { notification: minimal, mutable: "true" },
    "ERR_DECLARATIVE_INVALID_TYPE",
    "mutable",
  ],
  [
    "a top-level title (first explainer)",
    { title: "Hi", notification: minimal },
    "ERR_DECLARATIVE_UNKNOWN_FIELD",
    "title",
  ],
  [
    "default_action_url (first explainer)",
    { notification: minimal, default_action_url: "https://a.example/" },
    "ERR_DECLARATIVE_UNKNOWN_FIELD",
    "default_action_url",
  ],
  // title and navigate
  [
    "no title",
    { notification: { navigate: minimal.navigate } },
    "ERR_DECLARATIVE_MISSING_FIELD",
    "notification.title",
  ],
  [
    "title a number",
    withNotification({ title: 42 }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.title",
  ],
  [
    "an empty title",
    withNotification({ title: "" }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.title",
  ],
  [
    "a blank title",
    withNotification({ title: " \n" }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.title",
  ],
  [
    "no navigate",
    { notification: { title: "Hi" } },
    "ERR_DECLARATIVE_MISSING_FIELD",
    "notification.navigate",
  ],
  [
    "navigate null",
    withNotification({ navigate: null }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.navigate",
  ],
  [
    "a relative navigate",
    withNotification({ navigate: "/inbox" }),
    "ERR_DECLARATIVE_INVALID_URL",
    "notification.navigate",
  ],
  [
    "an http navigate",
    withNotification({ navigate: "http://app.example/" }),
    "ERR_DECLARATIVE_INVALID_URL",
    "notification.navigate",
  ],
  [
    "an http navigate on a private address",
    withNotification({ navigate: "http://192.168.1.2/" }),
    "ERR_DECLARATIVE_INVALID_URL",
    "notification.navigate",
  ],
  [
    "an http navigate on a host named like localhost",
    withNotification({ navigate: "http://localhost.example/" }),
    "ERR_DECLARATIVE_INVALID_URL",
    "notification.navigate",
  ],
  [
    "a javascript: navigate",
    withNotification({ navigate: "javascript:alert(1)" }),
    "ERR_DECLARATIVE_INVALID_URL",
    "notification.navigate",
  ],
  [
    "a navigate that is no URL",
    withNotification({ navigate: "https://" }),
    "ERR_DECLARATIVE_INVALID_URL",
    "notification.navigate",
  ],
  // the other members of notification
  [
    'dir "LTR"',
    withNotification({ dir: "LTR" }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.dir",
  ],
  [
    "dir a number",
    withNotification({ dir: 1 }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.dir",
  ],
  [
    'lang "en_US"',
    withNotification({ lang: "en_US" }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.lang",
  ],
  [
    'lang "English (US)"',
    withNotification({ lang: "English (US)" }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.lang",
  ],
  [
    "lang a number",
    withNotification({ lang: 1 }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.lang",
  ],
  [
    "body a number",
    withNotification({ body: 5 }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.body",
  ],
  [
    "tag an object",
    withNotification({ tag: {} }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.tag",
  ],
  [
    "a relative icon",
    withNotification({ icon: "/icon.png" }),
    "ERR_DECLARATIVE_INVALID_URL",
    "notification.icon",
  ],
  [
    "an http image",
    withNotification({ image: "http://app.example/a.png" }),
    "ERR_DECLARATIVE_INVALID_URL",
    "notification.image",
  ],
  [
    "a data: badge",
    withNotification({ badge: "data:image/png;base64,AA==" }),
    "ERR_DECLARATIVE_INVALID_URL",
    "notification.badge",
  ],
  [
    "vibrate a number",
    withNotification({ vibrate: 200 }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.vibrate",
  ],
  [
    "a negative vibration",
    withNotification({ vibrate: [100, -1] }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.vibrate[1]",
  ],
  [
    "a vibration over 2^32 - 1",
    withNotification({ vibrate: [2 ** 32] }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.vibrate[0]",
  ],
  [
    "a vibration as text",
    withNotification({ vibrate: ["100"] }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.vibrate[0]",
  ],
  [
    "timestamp a Date",
    withNotification({ timestamp: new Date(0) }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.timestamp",
  ],
  [
    "timestamp negative",
    withNotification({ timestamp: -1 }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.timestamp",
  ],
  [
    "timestamp in seconds with a fraction",
    withNotification({ timestamp: 1764633600.5 }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.timestamp",
  ],
  [
    'silent "true" (first explainer)',
    withNotification({ silent: "true" }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.silent",
  ],
  [
    "renotify 1",
    withNotification({ renotify: 1 }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.renotify",
  ],
  [
    "requireInteraction null",
    withNotification({ requireInteraction: null }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.requireInteraction",
  ],
  [
    "require_interaction",
    withNotification({ require_interaction: true }),
    "ERR_DECLARATIVE_UNKNOWN_FIELD",
    "notification.require_interaction",
  ],
  [
    "data with undefined inside",
    withNotification({ data: { a: undefined } }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.data.a",
  ],
  [
    "data with a function",
    withNotification({ data: [() => 1] }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.data[0]",
  ],
  [
    "data with NaN",
    withNotification({ data: { x: Number.NaN } }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.data.x",
  ],
  [
    "data with a bigint",
    withNotification({ data: 1n }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.data",
  ],
  [
    "data with a Date",
    withNotification({ data: { at: new Date(0) } }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.data.at",
  ],
  [
    "data with a Map",
    withNotification({ data: new Map() }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.data",
  ],
  [
    "app_badge inside notification (WebKit blog)",
    withNotification({ app_badge: 1 }),
    "ERR_DECLARATIVE_UNKNOWN_FIELD",
    "notification.app_badge",
  ],
  [
    "url instead of navigate",
    { notification: { title: "Hi", url: minimal.navigate } },
    "ERR_DECLARATIVE_UNKNOWN_FIELD",
    "notification.url",
  ],
  [
    "an options object (first explainer)",
    withNotification({ options: {} }),
    "ERR_DECLARATIVE_UNKNOWN_FIELD",
    "notification.options",
  ],
  // conflicts from the Notifications standard
  [
    "silent with vibrate",
    withNotification({ silent: true, vibrate: [100] }),
    "ERR_DECLARATIVE_CONFLICT",
    "notification.vibrate",
  ],
  [
    "renotify without tag",
    withNotification({ renotify: true }),
    "ERR_DECLARATIVE_CONFLICT",
    "notification.renotify",
  ],
  [
    "renotify with an empty tag",
    withNotification({ renotify: true, tag: "" }),
    "ERR_DECLARATIVE_CONFLICT",
    "notification.renotify",
  ],
  // actions
  [
    "actions an object",
    withNotification({ actions: {} }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.actions",
  ],
  [
    "an action that is a string",
    withNotification({ actions: ["ok"] }),
    "ERR_DECLARATIVE_INVALID_TYPE",
    "notification.actions[0]",
  ],
  [
    "an action without action",
    withNotification({ actions: [{ title: "A", navigate: minimal.navigate }] }),
    "ERR_DECLARATIVE_MISSING_FIELD",
    "notification.actions[0].action",
  ],
  [
    "an action with an empty action",
    withNotification({ actions: [{ action: "", title: "A", navigate: minimal.navigate }] }),
    "ERR_DECLARATIVE_INVALID_VALUE",
    "notification.actions[0].action",
  ],
  [
    "an action without title",
    withNotification({ actions: [{ action: "a", navigate: minimal.navigate }] }),
    "ERR_DECLARATIVE_MISSING_FIELD",
    "notification.actions[0].title",
  ],
  [
    "an action without navigate",
    withNotification({ actions: [{ action: "a", title: "A" }] }),
    "ERR_DECLARATIVE_MISSING_FIELD",
    "notification.actions[0].navigate",
  ],
  [
    "a second action with a relative navigate",
    withNotification({
      actions: [
        { action: "a", title: "A", navigate: minimal.navigate },
        { action: "b", title: "B", navigate: "/b" },
      ],
    }),
    "ERR_DECLARATIVE_INVALID_URL",
    "notification.actions[1].navigate",
  ],
  [
    "an action with an http icon",
    withNotification({
      actions: [
        { action: "a", title: "A", navigate: minimal.navigate, icon: "http://x.example/i.png" },
      ],
    }),
    "ERR_DECLARATIVE_INVALID_URL",
    "notification.actions[0].icon",
  ],
  [
    "an action with url",
    withNotification({ actions: [{ action: "a", title: "A", url: minimal.navigate }] }),
    "ERR_DECLARATIVE_UNKNOWN_FIELD",
    "notification.actions[0].url",
  ],
];

describe("createDeclarativeMessage refuses what a browser would drop", () => {
  it.each(cases)("%s", (_name, input, code, field) => {
    const error = refusal(input);
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    if (field !== undefined) expect(error.message).toContain(field);
    expect(error.name).toBe("DeclarativeError");
  });

  it("says where a misplaced member belongs", () => {
    expect(refusal(withNotification({ app_badge: 1 })).message).toMatch(/top level/);
    expect(refusal({ notification: { title: "Hi", url: "https://a.example/" } }).message).toMatch(
      /navigate/,
    );
  });

  it("names the kind of a wrong value, not the value itself", () => {
    const secretish = "https://app.example/reset?token=very-secret-token";
    const error = refusal(withNotification({ navigate: secretish.replace("https", "http") }));
    expect(error.message).not.toContain("very-secret-token");
    expect(refusal(withNotification({ body: 5 })).message).toContain("the number 5");
  });

  it("refuses a cycle in data instead of overflowing the stack", () => {
    const data: Record<string, unknown> = {};
    data.self = data;
    const error = refusal(withNotification({ data }));
    expect(error.code).toBe("ERR_DECLARATIVE_INVALID_VALUE");
    expect(error.message).toContain("cycle");
  });

  it("carries the marker every @swp package's isSwpError checks", () => {
    const error = refusal({});
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for("swp.error")]).toBe(true);
  });
});
