import { describe, expect, it } from "vitest";
import { printable } from "./printable.ts";

describe("printable", () => {
  it("escapes C0, DEL and C1 controls, one by one", () => {
    for (let code = 0; code <= 0x9f; code++) {
      if (code >= 0x20 && code < 0x7f) continue;
      const out = printable(`a${String.fromCharCode(code)}b`);
      expect(out).toMatch(/^a\\(x[0-9a-f]{2}|[tnr])b$/);
    }
    expect(printable("\u0000\u0007\u007f\u0085\u009b")).toBe("\\x00\\x07\\x7f\\x85\\x9b");
  });

  it("defuses ANSI escape sequences and line tricks", () => {
    expect(printable("\u001b[31mred\u001b[0m")).toBe("\\x1b[31mred\\x1b[0m");
    expect(printable("\u001b]0;owned\u0007")).toBe("\\x1b]0;owned\\x07"); // window title
    expect(printable("\u009b2J")).toBe("\\x9b2J"); // the one-byte CSI
    expect(printable("ok\rFAKE\tcol\nrow")).toBe("ok\\rFAKE\\tcol\\nrow");
  });

  it("escapes the bidi controls and the line separators", () => {
    const bidi = [0x61c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e];
    for (const code of [...bidi, 0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029]) {
      expect(printable(String.fromCharCode(code))).toBe(
        `\\u{${code.toString(16).padStart(4, "0")}}`,
      );
    }
  });

  it("keeps printable text of any script as it is", () => {
    const text = "alice-42 Ünïcödé 日本語 العربية 🙂 https://push.example/é?x=1";
    expect(printable(text)).toBe(text);
  });
});
