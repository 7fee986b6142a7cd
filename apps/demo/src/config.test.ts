import { describe, expect, it } from "vitest";
import { loadConfig, PLACEHOLDER_SUBJECT } from "./config.ts";

describe("loadConfig", () => {
  it("defaults to port 8080 on 127.0.0.1, data inside the app, and the SSRF guard on", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: "127.0.0.1",
      allowHosts: [],
      subjectIsPlaceholder: true,
    });
    expect(config.subject).toBe(PLACEHOLDER_SUBJECT);
    expect(config.dataDir).toMatch(/apps\/demo\/data\/?$/);
    expect(config.publicDir).toMatch(/apps\/demo\/public\/?$/);
  });

  it("reads PORT, DEMO_DATA_DIR, DEMO_SUBJECT and the DEMO_ALLOW_HOSTS list", () => {
    const config = loadConfig({
      PORT: "3000",
      DEMO_DATA_DIR: "/tmp/x",
      DEMO_SUBJECT: "mailto:me@example.org",
      DEMO_ALLOW_HOSTS: " localhost, 127.0.0.1 ,,",
    });
    expect(config).toMatchObject({
      port: 3000,
      dataDir: "/tmp/x",
      subject: "mailto:me@example.org",
      subjectIsPlaceholder: false,
      allowHosts: ["localhost", "127.0.0.1"],
    });
  });

  it("names the variable that cannot be used", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT/);
    expect(() => loadConfig({ DEMO_SUBJECT: "me@example.org" })).toThrow(/DEMO_SUBJECT/);
  });
});
