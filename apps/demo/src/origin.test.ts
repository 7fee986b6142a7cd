import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowedOrigins } from "./origin.ts";
import { type MemoryDemo, rawRequest, startMemoryDemo } from "./test-support/memory-demo.ts";

/** POST /api/unsubscribe (harmless, always 200 when allowed) with these headers. */
async function post(demo: MemoryDemo, headers: Record<string, string>) {
  return rawRequest(demo.port, "POST", "/api/unsubscribe", headers);
}

describe("allowedOrigins", () => {
  it("is the loopback names on the port for a local demo, else exactly the configured ones", () => {
    expect(allowedOrigins([], 8080)).toEqual([
      "http://localhost:8080",
      "http://127.0.0.1:8080",
      "http://[::1]:8080",
    ]);
    expect(allowedOrigins([], 80)).toEqual([
      "http://localhost",
      "http://127.0.0.1",
      "http://[::1]",
    ]);
    expect(allowedOrigins(["https://demo.example.net"], 8080)).toEqual([
      "https://demo.example.net",
    ]);
  });
});

describe("a local demo (no DEMO_ORIGIN)", () => {
  let demo: MemoryDemo;
  beforeAll(async () => {
    demo = await startMemoryDemo();
  });
  afterAll(() => demo.close());

  it("refuses a DNS-rebinding page whose Host and Origin agree on another name", async () => {
    for (const host of ["evil.example", `evil.example:${demo.port}`]) {
      const answer = await post(demo, { Host: host, Origin: `http://${host}` });
      expect(answer.status, host).toBe(403);
      expect(answer.json).toMatchObject({ code: "ERR_DEMO_CROSS_SITE" });
      expect(answer.json.error).toMatch(/cross-site request refused/);
    }
  });

  it("accepts pages of localhost, 127.0.0.1 and [::1] on its own port, whatever the Host", async () => {
    for (const origin of allowedOrigins([], demo.port)) {
      expect((await post(demo, { Host: "evil.example", Origin: origin })).status, origin).toBe(200);
    }
  });

  it("refuses loopback pages on another port or scheme, and opaque origins", async () => {
    for (const origin of [
      `http://localhost:${demo.port + 1}`,
      `https://localhost:${demo.port}`,
      `http://localhost.evil.example:${demo.port}`,
      "null",
      "not a url",
    ]) {
      const answer = await post(demo, { Host: `localhost:${demo.port}`, Origin: origin });
      expect(answer.status, origin).toBe(403);
    }
  });

  it("lets requests without Origin through (curl, scripts), but not Sec-Fetch-Site: cross-site", async () => {
    expect((await post(demo, { Host: "anything" })).status).toBe(200);
    expect((await post(demo, { Host: "anything", "Sec-Fetch-Site": "cross-site" })).status).toBe(
      403,
    );
  });
});

describe("a demo with a public origin (DEMO_ORIGIN)", () => {
  let demo: MemoryDemo;
  beforeAll(async () => {
    demo = await startMemoryDemo({ origins: ["https://demo.example.net"] });
  });
  afterAll(() => demo.close());

  it("accepts that origin only, even through a proxy that rewrites Host", async () => {
    expect(
      (await post(demo, { Host: `127.0.0.1:${demo.port}`, Origin: "https://demo.example.net" }))
        .status,
    ).toBe(200);
    for (const origin of [
      `http://localhost:${demo.port}`,
      "http://demo.example.net",
      "https://demo.example.net:8443",
    ]) {
      const host = new URL(origin).host;
      const answer = await post(demo, { Host: host, Origin: origin });
      expect(answer.status, origin).toBe(403);
      expect(answer.json.error).toMatch(/DEMO_ORIGIN/);
    }
  });
});
