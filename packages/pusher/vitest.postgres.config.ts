// The suites that need a real PostgreSQL (SWP_TEST_POSTGRES_URL; `bash .ci/postgres.sh`
// starts one). Not part of `pnpm test`: a machine with only Node has no PostgreSQL.
import { defineConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

export default defineConfig({
  test: {
    ...shared.test,
    include: ["src/**/*.postgres-test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
