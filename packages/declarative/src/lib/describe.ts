/**
 * The JSON kind of a value for error messages: never the value itself, which may be long or
 * personal (a message body, a URL with a token in it).
 */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case "string":
      return value.length === 0 ? "an empty string" : `a string of ${value.length} characters`;
    case "number":
      return Number.isFinite(value) ? `the number ${value}` : `the non-finite number ${value}`;
    case "boolean":
      return `${value}`;
    case "object":
      return "an object";
    case "undefined":
      return "undefined";
    default:
      return `a ${typeof value}`;
  }
}
