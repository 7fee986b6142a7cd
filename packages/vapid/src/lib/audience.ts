// The `aud` claim (RFC 8292 section 2): the origin of the push resource, i.e. scheme, host
// and port of the endpoint, no path, no trailing slash (RFC 6454 serialisation).

import { VapidError } from "../errors.ts";

/**
 * The origin of `endpoint` (a URL string or object). Throws ERR_VAPID_ENDPOINT for a
 * relative URL or a scheme other than http(s), whose origin is opaque.
 */
export function audienceOf(endpoint: string | URL, what = "endpoint"): string {
  let url: URL;
  if (endpoint instanceof URL) {
    url = endpoint;
  } else {
    if (typeof endpoint !== "string") {
      throw new VapidError(
        "ERR_VAPID_ENDPOINT",
        `${what} must be a string or URL, got ${typeof endpoint}`,
      );
    }
    try {
      url = new URL(endpoint);
    } catch (cause) {
      throw new VapidError(
        "ERR_VAPID_ENDPOINT",
        `${what} is not an absolute URL (${endpoint.length} characters, starting "${endpoint.slice(0, 24)}")`,
        { cause },
      );
    }
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new VapidError(
      "ERR_VAPID_ENDPOINT",
      `${what} must be an https: (or http:) URL, got scheme "${url.protocol}"`,
    );
  }
  return url.origin;
}

// A plain host name or IPv4 address with an optional port: nothing the URL parser would
// strip, skip or reinterpret (tabs, backslashes, extra slashes, userinfo, IPv6 brackets).
const PLAIN_AUTHORITY = /^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$/;

/**
 * A cache key that stands for the endpoint's origin: "https://" or "http://" and a plain
 * authority, up to the first "/". For such a prefix the origin is a function of the prefix
 * alone, so it can key a cache without parsing the whole URL on every call. Undefined for
 * anything unusual (then the caller parses the URL properly every time).
 */
export function originKeyOf(endpoint: string): string | undefined {
  let start: number;
  if (endpoint.startsWith("https://")) start = 8;
  else if (endpoint.startsWith("http://")) start = 7;
  else return undefined;
  const slash = endpoint.indexOf("/", start);
  const end = slash === -1 ? endpoint.length : slash;
  if (!PLAIN_AUTHORITY.test(endpoint.slice(start, end))) return undefined;
  return endpoint.slice(0, end);
}
