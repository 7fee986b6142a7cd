/**
 * Names a database for error messages and logs from its connection string:
 * `postgres://user@host:port/database`. The password is left out on purpose (messages end up
 * in logs); so are the query parameters, which may carry `password=` or key files.
 *
 * @example
 * ```ts
 * describeConnection("postgres://app:secret@db:5432/app") // "postgres://app@db:5432/app"
 * ```
 */
export function describeConnection(connectionString: string): string {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return "PostgreSQL (connection string is not a URL)";
  }
  const user = url.username === "" ? "" : `${decodeURIComponent(url.username)}@`;
  const port = url.port === "" ? "" : `:${url.port}`;
  return `postgres://${user}${url.hostname}${port}${url.pathname}`;
}
