import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeSubscriptionStore } from "@swp/store/conformance";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteStore } from "./sqlite-store.ts";

const dir = mkdtempSync(join(tmpdir(), "swp-store-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeSubscriptionStore(
  "SQLite file",
  ({ now }) => createSqliteStore({ path: join(dir, `conformance-${files++}.db`), now }),
  { describe, it, expect },
  { clock: true },
);

describeSubscriptionStore(
  "SQLite :memory:",
  ({ now }) => createSqliteStore({ path: ":memory:", now }),
  { describe, it, expect },
  { clock: true },
);
