import { defineConfig } from "vitest/config";

// Its own config: one file that spawns Deno, Bun and workerd, so neither `pnpm test`'s
// include pattern nor its timeouts apply. The verbose reporter prints one line per
// runtime × check and the closing "Tests N passed" line.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    reporters: ["verbose"],
    testTimeout: 30_000,
    hookTimeout: 150_000,
  },
});
