import { defineConfig } from "vitest/config";

// The one vitest base every package re-uses (`export { default } from "../../vitest.shared.ts"`).
export default defineConfig({
  test: {
    // `pnpm test` runs the colocated unit and integration tests only; real browsers
    // (*.browser-test.ts) and PostgreSQL (*.postgres-test.ts) have their own configs.
    include: ["src/**/*.test.ts"],
    // Several suites spawn real processes, run property tests over hundreds of key agreements,
    // or talk TLS on loopback. On CI's two cores, with turbo running packages side by side,
    // that can pass vitest's 5 s default with nothing wrong; a hung test still fails.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
