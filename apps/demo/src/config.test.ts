import { describe, expect, it } from "vitest";
import { loadConfig, PLACEHOLDER_SUBJECT } from "./config.ts";

describe("loadConfig", () => {
  it("defaults to port 8080 on 127.0.0.1, data inside the app, and the SSRF guard on", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: "127.0.0.1",
      allowHosts: [],
      origins: [],
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

  it("reads the public origins from DEMO_ORIGIN, or --origin which wins, as browsers write them", () => {
    expect(
      loadConfig({ DEMO_ORIGIN: "https://Demo.Example.NET:443/, http://10.0.0.2:8080" }).origins,
    ).toEqual(["https://demo.example.net", "http://10.0.0.2:8080"]);
    expect(
      loadConfig({ DEMO_ORIGIN: "https://ignored.example" }, [
        "--origin",
        "https://a.example",
        "--origin=https://b.example:8443",
      ]).origins,
    ).toEqual(["https://a.example", "https://b.example:8443"]);
  });

  it("refuses an origin with a path, credentials or another scheme, and unknown arguments", () => {
    for (const value of [
      "demo.example.net",
      "https://demo.example.net/app",
      "https://user@demo.example.net",
      "ftp://demo.example.net",
      "https://demo.example.net/?x=1",
    ]) {
      expect(() => loadConfig({ DEMO_ORIGIN: value }), value).toThrow(/DEMO_ORIGIN/);
      expect(() => loadConfig({}, [`--origin=${value}`]), value).toThrow(/--origin/);
    }
    expect(() => loadConfig({}, ["--origin"])).toThrow(/--origin needs a value/);
    expect(() => loadConfig({}, ["--port", "80"])).toThrow(/unknown argument "--port"/);
  });

  it("names the variable that cannot be used", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT/);
    expect(() => loadConfig({ DEMO_SUBJECT: "me@example.org" })).toThrow(/DEMO_SUBJECT/);
  });
});
