import { DeclarativeError } from "@swp/declarative";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoMessage } from "./declarative-message.ts";
import {
  type MemoryDemo,
  makeSubscription,
  SessionClient,
  startMemoryDemo,
} from "./test-support/memory-demo.ts";

describe("createDemoMessage", () => {
  it("builds the declarative JSON that opens the page of a public origin", () => {
    expect(createDemoMessage({ title: "Hi", body: "There" }, "https://demo.example.net")).toEqual({
      web_push: 8030,
      notification: {
        title: "Hi",
        body: "There",
        navigate: "https://demo.example.net/",
        lang: "en",
      },
    });
  });

  it("opens the http page of a local demo, on its port", () => {
    for (const origin of ["http://localhost:8080", "http://127.0.0.1:3000", "http://[::1]:8080"]) {
      const message = createDemoMessage({}, origin);
      expect(message.notification.navigate, origin).toBe(`${origin}/`);
      expect(message.notification).toMatchObject({ title: "Push Codelab", body: "Yay it works." });
    }
  });

  it("refuses what a browser would refuse: plain http elsewhere, a message too large", () => {
    const codes: Record<string, unknown> = {};
    for (const [name, make] of Object.entries({
      http: () => createDemoMessage({}, "http://demo.example.net"),
      size: () => createDemoMessage({ body: "€".repeat(1400) }, "https://demo.example.net"),
    })) {
      try {
        make();
      } catch (error) {
        expect(error).toBeInstanceOf(DeclarativeError);
        codes[name] = (error as DeclarativeError).code;
      }
    }
    expect(codes).toEqual({
      http: "ERR_DECLARATIVE_INVALID_URL",
      size: "ERR_DECLARATIVE_TOO_LARGE",
    });
  });
});

describe("the declarative option of notify-me and notify-all", () => {
  let demo: MemoryDemo;
  beforeAll(async () => {
    demo = await startMemoryDemo();
  });
  afterAll(() => demo.close());

  it("sends the declarative message for the page that asked, or the plain one without it", async () => {
    const client = new SessionClient(demo.port);
    const subscription = makeSubscription();
    expect((await client.post("/api/subscribe", { subscription })).status).toBe(200);

    const answer = await client.post("/api/notify-me", {
      title: "Declared",
      body: "Shown by the browser",
      declarative: true,
    });
    expect(answer.json).toMatchObject({ ok: true });
    expect(demo.pusher.sent.at(-1)).toEqual({
      endpoint: subscription.endpoint,
      data: {
        web_push: 8030,
        notification: {
          title: "Declared",
          body: "Shown by the browser",
          navigate: `http://localhost:${demo.port}/`,
          lang: "en",
        },
      },
    });

    await client.post("/api/notify-me", { title: "Plain", declarative: false });
    expect(demo.pusher.sent.at(-1)?.data).toEqual({ title: "Plain" });

    const everyone = await client.post("/api/notify-all", { title: "All", declarative: true });
    expect(everyone.json).toMatchObject({ sent: 1 });
    expect(demo.pusher.sent.at(-1)?.data).toMatchObject({
      web_push: 8030,
      notification: { title: "All" },
    });
  });

  it("refuses a declarative flag that is not a boolean, and a message too large (413)", async () => {
    const client = new SessionClient(demo.port);
    const flag = await client.post("/api/notify-all", { declarative: "yes" });
    expect(flag.status).toBe(400);
    expect(flag.json.error).toMatch(/declarative must be true or false/);
    const large = await client.post("/api/notify-all", {
      title: "€".repeat(700),
      body: "€".repeat(700),
      declarative: true,
    });
    expect(large.status).toBe(413);
    expect(large.json.error).toMatch(/3993/);
  });
});
