// Address classification for the SSRF guard. Endpoints come from browsers, i.e. from anyone:
// without this a subscription could make the server POST to its own admin ports or to the
// cloud metadata service (169.254.169.254). Ranges: RFC 1122 / 1918 / 6598 / 3927 / 5771 /
// 1112 for IPv4, RFC 4291 / 4193 / 3879 / 6052 / 3056 for IPv6.

import { isIP } from "node:net";

type V4Range = readonly [base: number, bits: number, kind: string];

const V4_RANGES: readonly V4Range[] = [
  [0x00000000, 8, "unspecified"], // 0.0.0.0/8 "this network"
  [0x0a000000, 8, "private"], // 10/8
  [0x64400000, 10, "private"], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8, "loopback"], // 127/8
  [0xa9fe0000, 16, "link-local"], // 169.254/16 (cloud metadata lives here)
  [0xac100000, 12, "private"], // 172.16/12
  [0xc0a80000, 16, "private"], // 192.168/16
  [0xe0000000, 4, "multicast"], // 224/4
  [0xf0000000, 4, "reserved"], // 240/4, includes 255.255.255.255
];

function parseV4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const v = Number(part);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

function classifyV4(n: number): string | undefined {
  for (const [base, bits, kind] of V4_RANGES) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((n & mask) >>> 0 === base) return kind;
  }
  return undefined;
}

/** Parses an IPv6 literal (zone id and brackets allowed) into 16 bytes. */
function parseV6(text: string): Uint8Array | undefined {
  let t = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const zone = t.indexOf("%");
  if (zone >= 0) t = t.slice(0, zone);
  if (isIP(t) !== 6) return undefined;
  const words: number[] = [];
  const [head = "", tail] = t.split("::") as [string, string | undefined];
  const toWords = (s: string): number[] | undefined => {
    if (s === "") return [];
    const out: number[] = [];
    const groups = s.split(":");
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (g.includes(".")) {
        const v4 = parseV4(g);
        if (v4 === undefined || i !== groups.length - 1) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        out.push(Number.parseInt(g, 16));
      }
    }
    return out;
  };
  const h = toWords(head);
  const tl = tail === undefined ? [] : toWords(tail);
  if (h === undefined || tl === undefined) return undefined;
  words.push(...h);
  if (tail !== undefined) for (let i = h.length + tl.length; i < 8; i++) words.push(0);
  words.push(...tl);
  if (words.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[2 * i] = w >> 8;
    bytes[2 * i + 1] = w & 0xff;
  });
  return bytes;
}

function v4At(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset]! << 24) |
      (bytes[offset + 1]! << 16) |
      (bytes[offset + 2]! << 8) |
      bytes[offset + 3]!) >>>
    0
  );
}

function classifyV6(b: Uint8Array): string | undefined {
  const zeroUpTo = (n: number) => b.subarray(0, n).every((x) => x === 0);
  if (zeroUpTo(16)) return "unspecified"; // ::
  if (zeroUpTo(15) && b[15] === 1) return "loopback"; // ::1
  // IPv4-mapped ::ffff:a.b.c.d and the deprecated IPv4-compatible ::a.b.c.d reach the
  // embedded IPv4 address, so judge that one.
  if (zeroUpTo(10) && b[10] === 0xff && b[11] === 0xff) return classifyV4(v4At(b, 12));
  if (zeroUpTo(12)) return classifyV4(v4At(b, 12));
  // NAT64 64:ff9b::/96 (RFC 6052) and 6to4 2002::/16 (RFC 3056) embed IPv4 too.
  if (
    b[0] === 0x00 &&
    b[1] === 0x64 &&
    b[2] === 0xff &&
    b[3] === 0x9b &&
    b.subarray(4, 12).every((x) => x === 0)
  ) {
    return classifyV4(v4At(b, 12));
  }
  if (b[0] === 0x20 && b[1] === 0x02) return classifyV4(v4At(b, 2));
  if ((b[0]! & 0xfe) === 0xfc) return "unique-local"; // fc00::/7
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) return "link-local"; // fe80::/10
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0xc0) return "site-local"; // fec0::/10, deprecated
  if (b[0] === 0xff) return "multicast"; // ff00::/8
  return undefined;
}

/**
 * Why `address` (an IPv4 or IPv6 literal) must not be connected to, or undefined when it is
 * a public unicast address. Returns "invalid" for text that is not an IP address.
 */
export function classifyAddress(address: string): string | undefined {
  const v4 = parseV4(address);
  if (v4 !== undefined) return classifyV4(v4);
  const v6 = parseV6(address);
  if (v6 !== undefined) return classifyV6(v6);
  return "invalid";
}

/** True when `host` (a URL hostname, IPv6 possibly in brackets) is an IP literal. */
export function isIpLiteral(host: string): boolean {
  const h = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return isIP(h.split("%")[0]!) !== 0;
}

/** A URL hostname without IPv6 brackets, lower-cased, for comparing with allowHosts. */
export function normalizeHost(host: string): string {
  const h = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return h.toLowerCase().replace(/\.$/, "");
}
