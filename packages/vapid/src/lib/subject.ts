// The `sub` claim (RFC 8292 section 2.1): a contact URI, `mailto:` or `https:`. Push
// services are stricter than the RFC: Apple answers 403 BadJwtToken for "mailto: x@y"
// (space), "<x@y>", a missing scheme, or a local host name, so those are refused here with a
// message instead of a rejected push later.

import { VapidError } from "../errors.ts";

function subjectError(message: string): VapidError {
  return new VapidError("ERR_VAPID_SUBJECT", `invalid VAPID subject: ${message}`);
}

/** True for host names that only mean something on the sender's own network. */
function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return (
    h === "localhost" ||
    h.endsWith(".localhost") ||
    h.endsWith(".local") ||
    h.startsWith("127.") ||
    h === "[::1]" ||
    // A bare name ("intranet") has no public meaning; IPv6 literals contain ":" instead.
    (!h.includes(".") && !h.includes(":"))
  );
}

const LOCAL_HINT = "(pass allowLocalSubject: true to permit it during development)";

/**
 * Returns `subject` unchanged when it is `mailto:<address>` or an `https:` URL with a public
 * host; throws ERR_VAPID_SUBJECT with the reason otherwise.
 */
export function checkSubject(subject: unknown, allowLocal = false): string {
  if (typeof subject !== "string") {
    throw subjectError(`expected a string, got ${subject === null ? "null" : typeof subject}`);
  }
  if (subject.length === 0)
    throw subjectError("it is empty; expected mailto:<address> or an https: URL");
  if (subject.length > 1024)
    throw subjectError(`it is ${subject.length} characters long (at most 1024)`);
  if (subject.startsWith("mailto:")) return checkMailto(subject, allowLocal);
  if (subject.startsWith("https:")) return checkHttps(subject, allowLocal);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(subject)?.[1];
  if (scheme === undefined) {
    throw subjectError(
      `it has no scheme; expected "mailto:${subject.includes("@") ? subject.trim() : "<address>"}" or an https: URL`,
    );
  }
  if (scheme.toLowerCase() === "mailto" || scheme.toLowerCase() === "https") {
    throw subjectError(`write the scheme in lower case ("${scheme.toLowerCase()}:")`);
  }
  throw subjectError(`scheme "${scheme}:" is not allowed; expected mailto: or https:`);
}

function checkMailto(subject: string, allowLocal: boolean): string {
  const address = subject.slice("mailto:".length);
  if (/^\s/.test(address))
    throw subjectError('whitespace after "mailto:"; write mailto:<address> without spaces');
  if (/[<>]/.test(address))
    throw subjectError(
      "angle brackets in the address; write mailto:user@example.com, not mailto:<user@example.com>",
    );
  if (/\s/.test(address)) throw subjectError("the address contains whitespace");
  const at = address.lastIndexOf("@");
  if (at <= 0 || at === address.length - 1) {
    throw subjectError(`"${address}" is not an e-mail address (expected user@domain)`);
  }
  const host = address.slice(at + 1);
  if (!allowLocal && isLocalHost(host)) {
    throw subjectError(`the address is at the local host "${host}" ${LOCAL_HINT}`);
  }
  return subject;
}

function checkHttps(subject: string, allowLocal: boolean): string {
  if (/\s/.test(subject)) throw subjectError("the URL contains whitespace");
  let url: URL;
  try {
    url = new URL(subject);
  } catch (cause) {
    throw new VapidError("ERR_VAPID_SUBJECT", "invalid VAPID subject: not a valid https: URL", {
      cause,
    });
  }
  if (!allowLocal && isLocalHost(url.hostname)) {
    throw subjectError(`the URL's host "${url.hostname}" is a local name ${LOCAL_HINT}`);
  }
  return subject;
}
