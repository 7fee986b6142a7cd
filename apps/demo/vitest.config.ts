import { defineConfig } from "vitest/config";

// `pnpm test`: the server's HTTP tests and unit tests. The real-browser tests
// (src/*.browser-test.ts) run only with `pnpm test:browsers` (vitest.browsers.config.ts).
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
  },
});
