import { DeclarativeError } from "../errors.ts";
import type { JsonValue } from "../types.ts";
import { describe } from "./describe.ts";

/** A plain object (the shape JSON objects parse to), not an array or null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Refuses members outside `known`: browsers ignore them silently, so they are always typos. */
export function checkKnownMembers(
  record: Record<string, unknown>,
  known: readonly string[],
  path: string,
  hint: Readonly<Record<string, string>> = {},
): void {
  for (const key of Object.keys(record)) {
    if (known.includes(key)) continue;
    const where = path === "" ? key : `${path}.${key}`;
    const advice = hint[key] ?? `expected one of ${known.join(", ")}`;
    throw new DeclarativeError(
      "ERR_DECLARATIVE_UNKNOWN_FIELD",
      `${where} is not a member of a declarative push message: ${advice}`,
      { field: where },
    );
  }
}

/** An object member that must exist. */
export function requireRecord(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined) {
    throw new DeclarativeError("ERR_DECLARATIVE_MISSING_FIELD", `${path} is required`, {
      field: path,
    });
  }
  if (!isRecord(value)) {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_INVALID_TYPE",
      `${path} must be an object, got ${describe(value)}`,
      { field: path },
    );
  }
  return value;
}

/** A string member; `required` members must exist, `nonEmpty` ones must hold text. */
export function checkString(
  value: unknown,
  path: string,
  rules: { required?: boolean; nonEmpty?: boolean } = {},
): string | undefined {
  if (value === undefined) {
    if (!rules.required) return undefined;
    throw new DeclarativeError("ERR_DECLARATIVE_MISSING_FIELD", `${path} is required`, {
      field: path,
    });
  }
  if (typeof value !== "string") {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_INVALID_TYPE",
      `${path} must be a string, got ${describe(value)}`,
      { field: path },
    );
  }
  if (rules.nonEmpty && value.trim() === "") {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_INVALID_VALUE",
      `${path} must not be empty or blank`,
      { field: path },
    );
  }
  return value;
}

/** A boolean member. */
export function checkBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_INVALID_TYPE",
      `${path} must be a boolean (true or false), got ${describe(value)}`,
      { field: path },
    );
  }
  return value;
}

/**
 * A whole number from 0 to `max`. JSON numbers above 2^53 − 1 lose precision on the way, so
 * the spec's 64-bit members are bounded by Number.MAX_SAFE_INTEGER here.
 */
export function checkUnsignedInteger(
  value: unknown,
  path: string,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number") {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_INVALID_TYPE",
      `${path} must be a number, got ${describe(value)}`,
      { field: path },
    );
  }
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_INVALID_VALUE",
      `${path} must be a whole number from 0 to ${max}, got ${describe(value)}`,
      { field: path },
    );
  }
  return value;
}

/**
 * True for the hosts of a loopback origin, which browsers treat as potentially trustworthy
 * (W3C Secure Contexts, section 3.1): push and notifications work on `http://localhost`, so a
 * local development server's URLs are as good as `https:` ones.
 */
function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    hostname === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * An absolute `https:` URL, or `http:` on a loopback host (local development). Declarative
 * push opens these without a service worker to resolve them, and browsers only accept push
 * from secure origins, so a relative or plain-http URL is a bug in the sender.
 */
export function checkHttpsUrl(value: unknown, path: string, required: boolean): string | undefined {
  const text = checkString(value, path, { required });
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_INVALID_URL",
      `${path} must be an absolute https: URL, got ${describe(text)} that is not an absolute URL`,
      { field: path },
    );
  }
  if (url.protocol === "https:") return text;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return text;
  throw new DeclarativeError(
    "ERR_DECLARATIVE_INVALID_URL",
    `${path} must be an absolute https: URL (http: only on localhost or 127.0.0.1), got ${
      url.protocol === "http:" ? "an http: URL on a non-loopback host" : `a ${url.protocol} URL`
    }`,
    { field: path },
  );
}

// RFC 5646 well-formedness at the subtag level: letters for the language, then subtags of 1-8
// letters or digits. Enough to catch "English (US)" or "en_US" without a registry.
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** A BCP 47 language tag, or "" (the Notifications standard's "unknown"). */
export function checkLanguageTag(value: unknown, path: string): string | undefined {
  const text = checkString(value, path);
  if (text === undefined || text === "" || LANGUAGE_TAG.test(text)) return text;
  throw new DeclarativeError(
    "ERR_DECLARATIVE_INVALID_VALUE",
    `${path} must be a BCP 47 language tag such as "en-US" (or ""), got ${describe(text)}`,
    { field: path },
  );
}

/**
 * A copy of `value` that JSON keeps as is: null, booleans, finite numbers, strings, arrays and
 * plain objects. `undefined`, functions, NaN, bigints, dates or cycles would be dropped or
 * changed by JSON.stringify, so the browser would get something else than the caller wrote.
 */
export function checkJson(value: unknown, path: string, ancestors: object[] = []): JsonValue {
  const fail = (detail: string): never => {
    throw new DeclarativeError(
      "ERR_DECLARATIVE_INVALID_VALUE",
      `${path} must be JSON (null, boolean, finite number, string, array or plain object), got ${detail}`,
      { field: path },
    );
  };
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : fail(describe(value));
  if (typeof value !== "object") return fail(describe(value));
  if (ancestors.includes(value)) return fail("a cycle");
  const inner = [...ancestors, value];
  if (Array.isArray(value)) return value.map((item, i) => checkJson(item, `${path}[${i}]`, inner));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) fail("an instance of a class");
  const out: { [key: string]: JsonValue } = {};
  for (const [key, item] of Object.entries(value))
    out[key] = checkJson(item, `${path}.${key}`, inner);
  return out;
}
