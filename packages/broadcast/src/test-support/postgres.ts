import pg from "pg";

/**
 * The test database's connection string, from SWP_TEST_POSTGRES_URL. Missing, it fails the
 * suite with the command that provides one (never a silent skip).
 */
export function testDatabaseUrl(): string {
  const url = process.env.SWP_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      "SWP_TEST_POSTGRES_URL is not set: these tests need a PostgreSQL database. " +
        "Start one with `export SWP_TEST_POSTGRES_URL=$(bash .ci/postgres.sh)` from the repository root.",
    );
  }
  return url;
}

let schemas = 0;

/** A schema name no other test (nor another test file running at the same time) uses. */
export function freshSchemaName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${schemas++}`;
}

/** Runs `text` on a short-lived connection of its own. */
export async function query<Row = Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** Drops the schemas these tests created (and everything in them). */
export async function dropSchemas(names: Iterable<string>): Promise<void> {
  const list = [...names];
  if (list.length === 0) return;
  await query(list.map((name) => `drop schema if exists "${name}" cascade`).join(";"));
}
