import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Property tests run hundreds of key agreements; on two shared cores under load that can
    // exceed the 5 s default without anything being wrong.
    testTimeout: 30_000,
  },
});
