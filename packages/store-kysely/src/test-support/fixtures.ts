/** A valid subscription with a distinct endpoint per `n` (RFC 8291 test keys). */
export { sampleSubscription as subscription } from "@swp/store/conformance";

/** The Python original's table, exactly as it created it. */
export const PYTHON_SCHEMA =
  "CREATE TABLE subscriptors(session_id VARCHAR(256) NOT NULL PRIMARY KEY, subscription VARCHAR(512) NOT NULL, group_id INT NOT NULL)";
