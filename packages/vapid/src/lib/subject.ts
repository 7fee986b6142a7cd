// The `sub` claim (RFC 8292 section 2.1): a contact URI, `mailto:` or `https:`. Push
// services are stricter than the RFC: Apple answers 403 BadJwtToken for "mailto: x@y"
// (space), "<x@y>", a missing scheme, or a local host name, so those are refused here with a
// message instead of a rejected push later. A contact must also reach a person from outside:
// an IP literal or a loopback host names no one, and a control or invisible character
// (NUL, zero-width, bidi override) makes the subject read differently from what it is.

import { VapidError } from "../errors.ts";

function subjectError(message: string): VapidError {
  return new VapidError("ERR_VAPID_SUBJECT", `invalid VAPID subject: ${message}`);
}

// Cc: C0 controls, DEL and C1 controls. Cf: format characters, i.e. zero-width space and
// joiners, word joiner, BOM, soft hyphen and every bidi control (LRM, RLM, ALM, LRE…RLO,
// LRI…PDI). Zl/Zp: line and paragraph separators.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** "U+200B at index 12" for the first control or invisible character, or undefined. */
function findInvisible(text: string): string | undefined {
  const match = INVISIBLE.exec(text);
  if (match === null) return undefined;
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return `U+${code} at index ${match.index}`;
}

/** Dotted-quad IPv4 (what the URL parser makes of any numeric host) or a bracketed IPv6. */
function isIpLiteral(host: string): boolean {
  return host.startsWith("[") || /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(host);
}

/** True for host names that only mean something on the sender's own network. */
function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return (
    h === "localhost" ||
    h.endsWith(".localhost") ||
    h.endsWith(".local") ||
    // A bare name ("intranet") has no public meaning; IPv6 literals contain ":" instead.
    (!h.includes(".") && !h.includes(":"))
  );
}

/**
 * Why `host` cannot be a contact's host, or undefined. The host is first read the way the
 * WHATWG URL parser reads it, so "0x7f.1", "2130706433" and "%31%32%37.0.0.1" are all seen
 * as 127.0.0.1, and "[::ffff:7f00:1]" as an IPv6 literal.
 */
function hostProblem(host: string): string | undefined {
  let name: string;
  if (host.startsWith("[")) {
    name = host; // an RFC 5321 address literal ([1.2.3.4] or [IPv6:…]) or a URL's IPv6
  } else {
    try {
      name = new URL(`https://${host}/`).hostname;
    } catch {
      return `"${host}" is not a host name`;
    }
  }
  if (isIpLiteral(name)) return `the host "${host}" is an IP address, not a host name`;
  if (isLocalHost(name)) return `the host "${host}" is a local name`;
  return undefined;
}

const LOCAL_HINT = "(pass allowLocalSubject: true to permit it during development)";
const EXPECTED = "expected mailto:<address> or an https: URL with a public host name";

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
  const invisible = findInvisible(subject);
  if (invisible !== undefined) {
    throw subjectError(`it contains a control or invisible character (${invisible})`);
  }
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
  const problem = allowLocal ? undefined : hostProblem(host);
  if (problem !== undefined) throw subjectError(`${problem}; ${EXPECTED} ${LOCAL_HINT}`);
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
  const problem = allowLocal ? undefined : hostProblem(url.hostname);
  if (problem !== undefined) throw subjectError(`${problem}; ${EXPECTED} ${LOCAL_HINT}`);
  return subject;
}
