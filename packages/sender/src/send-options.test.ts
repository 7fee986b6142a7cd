import { createECDH } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "./errors.ts";
import { checkTimerDelay, MAX_TIMER_DELAY, resolveSendOptions } from "./send-options.ts";
import { createSender } from "./sender.ts";

describe("timer-fed options", () => {
  it("accepts a timeout up to 2^31 - 1 ms, the longest Node timer", () => {
    expect(MAX_TIMER_DELAY).toBe(2_147_483_647);
    expect(resolveSendOptions({ timeout: MAX_TIMER_DELAY }, undefined).timeout).toBe(
      MAX_TIMER_DELAY,
    );
    expect(resolveSendOptions(undefined, { timeout: 1 }).timeout).toBe(1);
    expect(resolveSendOptions(undefined, { timeout: 0.5 }).timeout).toBe(0.5);
  });

  it.each([2 ** 31, 2 ** 32 + 5, 1e15])(
    "refuses timeout %d, which Node would fire at once, naming option, value and limit",
    (timeout) => {
      let error: unknown;
      try {
        resolveSendOptions(undefined, { timeout });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe("timeout");
      expect((error as Error).message).toContain(`timeout is ${timeout} ms`);
      expect((error as Error).message).toContain("at most 2147483647 ms");
    },
  );

  it("refuses it as a sender default at construction and per call", async () => {
    const vapid = {
      publicKey: new Uint8Array(65),
      subject: "mailto:a@b.example",
      headers: async () => ({}),
    };
    expect(() => createSender({ vapid, timeout: 2 ** 31 })).toThrow(/at most 2147483647 ms/);
    const sender = createSender({ vapid, workers: 0 });
    try {
      const uaPublic = createECDH("prime256v1").generateKeys();
      const subscription = {
        // A loopback literal: refused before any I/O should the option pass validation.
        endpoint: "https://127.0.0.1:9/x",
        keys: { p256dh: uaPublic.toString("base64url"), auth: "A".repeat(22) },
      };
      const sent = sender.send(subscription, "x", { timeout: 2 ** 31 });
      await expect(sent).rejects.toThrow(InvalidOptionError);
      await expect(sent).rejects.toThrow(/timeout is 2147483648 ms/);
    } finally {
      await sender.close();
    }
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, "1000"])(
    "refuses timeout %s",
    (timeout) => {
      expect(() => resolveSendOptions(undefined, { timeout: timeout as number })).toThrow(
        /timeout must be a positive number of milliseconds/,
      );
    },
  );

  it("is the one check other timer-fed options use", () => {
    expect(checkTimerDelay("connectTimeout", 10_000)).toBe(10_000);
    expect(() => checkTimerDelay("connectTimeout", 2 ** 31)).toThrow(
      /connectTimeout is 2147483648 ms; at most 2147483647 ms/,
    );
  });
});
