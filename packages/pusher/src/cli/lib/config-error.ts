/**
 * A configuration the CLI cannot run with (an environment variable with a bad value, one
 * half of a key pair): one line on standard error and exit status 78, as for a missing subject.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
