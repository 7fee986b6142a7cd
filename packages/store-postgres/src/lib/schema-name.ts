import { CompiledQuery } from "kysely";

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A schema name the store accepts: a plain SQL identifier (so quoting it is trivial). */
export function assertSchemaName(schema: unknown): asserts schema is string {
  if (typeof schema !== "string" || !SCHEMA_NAME.test(schema)) {
    throw new TypeError(
      `schema must be letters, digits and _ (not starting with a digit), at most 63 characters; got ${typeof schema === "string" ? `${schema.length} characters` : typeof schema}`,
    );
  }
}

/**
 * `SET search_path TO "<schema>"`. SET takes no bind parameters; the name is safe to quote
 * as it is because {@link assertSchemaName} allows no quote character.
 */
export function searchPath(schema: string): CompiledQuery {
  assertSchemaName(schema);
  return CompiledQuery.raw(`set search_path to "${schema}"`);
}
