import type { Compilable, CompiledQuery } from "kysely";

/**
 * A query compiled once and run many times with new values: kysely builds and compiles
 * a query on every call (about 15 µs for the upsert of `put`), which is most of the
 * per-row cost once SQLite is fast. `build` receives `param(name)` placeholders; each
 * becomes a bound parameter whose value `bind` fills in later. Values are still bound as
 * parameters, never spliced into the SQL.
 */
export function compileTemplate<Name extends string>(
  names: readonly Name[],
  build: (param: (name: Name) => never) => Compilable,
): (values: Record<Name, unknown>) => CompiledQuery {
  // A marker no real value can be equal to: the identity check below finds where each
  // placeholder landed among the compiled parameters.
  const markers = new Map<unknown, Name>(names.map((name) => [Symbol(name), name]));
  const byName = new Map<Name, unknown>([...markers].map(([marker, name]) => [name, marker]));
  const requested = new Set<Name>();
  const compiled = build((name) => {
    requested.add(name);
    return byName.get(name) as never;
  }).compile();
  const slots = compiled.parameters.map((value) => markers.get(value));
  // A placeholder that did not come out as a bound parameter would silently be sent as a
  // Symbol: refuse the template instead.
  for (const name of requested) {
    if (!slots.includes(name)) throw new Error(`query template parameter ${name} is not bound`);
  }
  return (values) => ({
    ...compiled,
    parameters: compiled.parameters.map((constant, i) => {
      const name = slots[i];
      return name === undefined ? constant : values[name];
    }),
  });
}
