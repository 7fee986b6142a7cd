// Imports the BUILT package by name, as users do (run the build first).
import { connect } from "node:http2";
import {
  firefoxPushPrefs,
  startFakePushService,
  startFirefoxPushServer,
  TEST_CERTIFICATE,
} from "@swp/testing";
import { describe, expect, it } from "vitest";

describe("@swp/testing (built)", () => {
  it("starts both servers from the built files", async () => {
    const service = await startFakePushService({ maxConcurrentStreams: 7 });
    expect(service.ca).toBe(TEST_CERTIFICATE);
    const session = connect(service.origin, { ca: service.ca });
    await new Promise<void>((resolve) => session.once("remoteSettings", () => resolve()));
    expect(session.remoteSettings.maxConcurrentStreams).toBe(7);
    session.close();
    await service.close();

    const firefox = await startFirefoxPushServer();
    expect(firefoxPushPrefs(firefox)["dom.push.serverURL"]).toBe(firefox.wsUrl);
    await firefox.close();
  });
});
