import { defineConfig } from "vitest/config";

// Real-browser checks of the BUILT portable entry (build first). Run with `pnpm test:browsers`.
export default defineConfig({
  test: {
    include: ["src/**/*.browser-test.ts"],
    // Starting Chromium on two shared cores can take a while.
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
});
