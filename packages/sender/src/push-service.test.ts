import { describe, expect, it } from "vitest";
import { detectPushService } from "./push-service.ts";

describe("detectPushService", () => {
  it.each([
    ["https://fcm.googleapis.com/fcm/send/abc", "fcm"],
    ["https://android.googleapis.com/gcm/send/abc", "fcm"],
    ["https://updates.push.services.mozilla.com/wpush/v2/abc", "mozilla"],
    ["https://web.push.apple.com/QGx", "apple"],
    ["https://wns2-par02p.notify.windows.com/w/?token=abc", "wns"],
    ["https://push.example.com/x", "other"],
    ["https://evilgoogleapis.com/x", "other"],
    ["not a url", "other"],
  ])("%s is %s", (endpoint, service) => {
    expect(detectPushService(endpoint)).toBe(service);
  });
});
