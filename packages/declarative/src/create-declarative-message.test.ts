import { describe, expect, it } from "vitest";
import { createDeclarativeMessage } from "./create-declarative-message.ts";
import type { DeclarativeMessageInit } from "./types.ts";

const minimal = { title: "Build 42 passed", navigate: "https://ci.example/runs/42" };

describe("createDeclarativeMessage: output member by member", () => {
  it("adds web_push 8030 to the two required members and nothing else", () => {
    expect(createDeclarativeMessage({ notification: minimal })).toStrictEqual({
      web_push: 8030,
      notification: { title: "Build 42 passed", navigate: "https://ci.example/runs/42" },
    });
  });

  it("accepts web_push 8030 given explicitly", () => {
    expect(createDeclarativeMessage({ web_push: 8030, notification: minimal }).web_push).toBe(8030);
  });

  it("keeps every optional member of notification with its value, in the draft's order", () => {
    const notification = {
      actions: [
        { action: "open", title: "Open", navigate: "https://ci.example/runs/42" },
        {
          action: "logs",
          title: "Logs",
          navigate: "https://ci.example/runs/42/logs",
          icon: "https://ci.example/icons/logs.png",
        },
      ],
      data: { run: 42, tags: ["main", "nightly"], author: null, green: true, ratio: 0.5 },
      requireInteraction: true,
      silent: false,
      renotify: true,
      timestamp: 1_764_633_600_000,
      vibrate: [200, 100, 200],
      badge: "https://ci.example/badge.png",
      icon: "https://ci.example/icon.png",
      image: "https://ci.example/graph.png",
      tag: "run-42",
      body: "All 1,204 tests passed.",
      lang: "en-US",
      dir: "ltr" as const,
      navigate: "https://ci.example/runs/42",
      title: "Build 42 passed",
    };
    const message = createDeclarativeMessage({ notification, app_badge: 7, mutable: true });
    expect(message).toStrictEqual({
      web_push: 8030,
      notification: { ...notification },
      app_badge: 7,
      mutable: true,
    });
    expect(Object.keys(message)).toEqual(["web_push", "notification", "app_badge", "mutable"]);
    expect(Object.keys(message.notification)).toEqual([
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
    ]);
    expect(Object.keys(message.notification.actions![1]!)).toEqual([
      "action",
      "title",
      "navigate",
      "icon",
    ]);
  });

  it.each([
    ["dir auto", { dir: "auto" }],
    ["dir rtl", { dir: "rtl" }],
    ["an empty lang (unknown)", { lang: "" }],
    ["a bare language", { lang: "fr" }],
    ["a script and region", { lang: "zh-Hant-TW" }],
    ["an empty body and tag", { body: "", tag: "" }],
    ["silent true without vibrate", { silent: true }],
    ["renotify false without tag", { renotify: false }],
    ["vibrate [] and 0 ms", { vibrate: [0] }],
    ["the largest vibration", { vibrate: [2 ** 32 - 1] }],
    ["timestamp 0", { timestamp: 0 }],
    ["an empty actions list", { actions: [] }],
    ["data null", { data: null }],
    ["data a string", { data: "x" }],
    ["data nested arrays", { data: [[1, [2]], { a: { b: [] } }] }],
    ["a URL with query, fragment and non-ASCII path", { navigate: "https://例え.jp/é?q=1#x" }],
    ["http: on localhost (a secure context)", { navigate: "http://localhost:8080/" }],
    [
      "http: on 127.0.0.1",
      { navigate: "http://127.0.0.1:8080/inbox", icon: "http://127.0.0.1/i.png" },
    ],
    [
      "http: on [::1] and *.localhost",
      { navigate: "http://[::1]:3000/", image: "http://app.localhost/a.png" },
    ],
  ])("accepts %s", (_name, extra) => {
    const notification = { ...minimal, ...extra } as DeclarativeMessageInit["notification"];
    expect(createDeclarativeMessage({ notification }).notification).toStrictEqual(notification);
  });

  it("keeps app_badge 0 (clears the badge) and the largest exact JSON integer", () => {
    expect(createDeclarativeMessage({ notification: minimal, app_badge: 0 }).app_badge).toBe(0);
    expect(
      createDeclarativeMessage({ notification: minimal, app_badge: Number.MAX_SAFE_INTEGER })
        .app_badge,
    ).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("keeps mutable false as given", () => {
    expect(createDeclarativeMessage({ notification: minimal, mutable: false }).mutable).toBe(false);
  });

  it("drops members set to undefined instead of emitting them", () => {
    const message = createDeclarativeMessage({
      notification: { ...minimal, body: undefined, actions: undefined },
      app_badge: undefined,
    } as DeclarativeMessageInit);
    expect(message).toStrictEqual({ web_push: 8030, notification: minimal });
    expect(JSON.stringify(message)).not.toContain("undefined");
  });

  it("returns a copy: later changes to the input do not reach the message", () => {
    const data = { run: 42 };
    const actions = [{ action: "a", title: "A", navigate: "https://x.example/" }];
    const message = createDeclarativeMessage({ notification: { ...minimal, data, actions } });
    data.run = 43;
    actions[0]!.title = "changed";
    expect(message.notification.data).toEqual({ run: 42 });
    expect(message.notification.actions![0]!.title).toBe("A");
  });

  it("accepts an object without prototype as data (JSON.parse output of untrusted text can be one)", () => {
    const data = Object.assign(Object.create(null) as object, { a: 1 });
    expect(
      createDeclarativeMessage({ notification: { ...minimal, data } }).notification.data,
    ).toEqual({ a: 1 });
  });
});
