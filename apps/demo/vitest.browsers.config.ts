import { defineConfig } from "vitest/config";

// `pnpm test:browsers`: the demo in real Firefox ESR and Chromium (Debian's /usr/bin ones).
// One browser at a time: they share two cores with everything else.
export default defineConfig({
  test: {
    include: ["src/**/*.browser-test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
