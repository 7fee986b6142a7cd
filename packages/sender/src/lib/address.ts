// Address classification for the SSRF guard. Endpoints come from browsers, i.e. from anyone:
// without this a subscription could make the server POST to its own admin ports or to the
// cloud metadata service (169.254.169.254).
//
// Source: the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and the RFCs
// named per row). Every block whose "Globally Reachable" column is False, or that the
// registry marks deprecated, is refused; the registry's globally reachable blocks that sit
// inside a refused one are kept (the exceptions below). Multicast and, for IPv6, everything
// outside the global unicast space 2000::/3 (IANA IPv6 Address Space registry) are refused
// too: they are not unicast destinations a push service could have.
//
// IPv4                 | kind                 | registry name, RFC
// ---------------------|----------------------|-------------------------------------------
// 0.0.0.0/8            | unspecified          | "This network", RFC 791 / RFC 1122 3.2.1.3
// 10.0.0.0/8           | private              | Private-Use, RFC 1918
// 100.64.0.0/10        | private              | Shared Address Space (carrier NAT), RFC 6598
// 127.0.0.0/8          | loopback             | Loopback, RFC 1122 3.2.1.3
// 169.254.0.0/16       | link-local           | Link Local, RFC 3927 (cloud metadata)
// 172.16.0.0/12        | private              | Private-Use, RFC 1918
// 192.0.0.0/24         | protocol-assignment  | IETF Protocol Assignments, RFC 6890 2.1
//                      |                      | (holds 192.0.0.0/29 RFC 7335, 192.0.0.8/32
//                      |                      | RFC 7600, 192.0.0.170-171/32 RFC 8880)
//   192.0.0.9/32       | (reachable)          | Port Control Protocol Anycast, RFC 7723
//   192.0.0.10/32      | (reachable)          | TURN Anycast, RFC 8155
// 192.0.2.0/24         | documentation        | TEST-NET-1, RFC 5737
// 192.88.99.0/24       | deprecated           | 6to4 Relay Anycast, deprecated by RFC 7526
// 192.168.0.0/16       | private              | Private-Use, RFC 1918
// 198.18.0.0/15        | benchmarking         | Benchmarking, RFC 2544
// 198.51.100.0/24      | documentation        | TEST-NET-2, RFC 5737
// 203.0.113.0/24       | documentation        | TEST-NET-3, RFC 5737
// 224.0.0.0/4          | multicast            | (multicast, RFC 5771; not unicast)
// 240.0.0.0/4          | reserved             | Reserved, RFC 1112 4; with 255.255.255.255/32
//                      |                      | Limited Broadcast, RFC 8190 / RFC 919
// Globally reachable, not refused: 192.31.196.0/24 AS112-v4 (RFC 7535), 192.52.193.0/24 AMT
// (RFC 7450), 192.175.48.0/24 AS112 direct delegation (RFC 7534).
//
// IPv6                 | kind                 | registry name, RFC
// ---------------------|----------------------|-------------------------------------------
// ::/128               | unspecified          | Unspecified Address, RFC 4291
// ::1/128              | loopback             | Loopback Address, RFC 4291
// ::ffff:0:0/96        | ipv4-mapped          | IPv4-mapped Address, RFC 4291 (a refused
//                      |                      | embedded IPv4 address gives its own kind)
// ::ffff:0:0:0/96      | ipv4-translated      | SIIT IPv4-translated, RFC 6145 / RFC 2765
// ::/96 (rest)         | reserved             | IPv4-compatible, deprecated by RFC 4291 2.5.5.1
// 64:ff9b::/96         | (embedded IPv4)      | NAT64 well-known prefix, RFC 6052: globally
//                      |                      | reachable, judged by the IPv4 it embeds
// 64:ff9b:1::/48       | translation          | Local-use IPv4/IPv6 Translation, RFC 8215
// 100::/64             | discard              | Discard-Only Address Block, RFC 6666
// 100:0:0:1::/64       | reserved             | Dummy IPv6 Prefix, RFC 9780
// 2001::/23            | protocol-assignment  | IETF Protocol Assignments, RFC 2928
//   2001::/32          | teredo               | TEREDO, RFC 4380 / RFC 8190
//   2001:1::1/128      | (reachable)          | Port Control Protocol Anycast, RFC 7723
//   2001:1::2/128      | (reachable)          | TURN Anycast, RFC 8155
//   2001:1::3/128      | (reachable)          | DNS-SD SRP Anycast, RFC 9665
//   2001:2::/48        | benchmarking         | Benchmarking, RFC 5180
//   2001:3::/32        | (reachable)          | AMT, RFC 7450
//   2001:4:112::/48    | (reachable)          | AS112-v6, RFC 7535
//   2001:10::/28       | deprecated           | previously ORCHID, RFC 4843
//   2001:20::/28       | (reachable)          | ORCHIDv2, RFC 7343
//   2001:30::/28       | (reachable)          | Drone Remote ID (DETs), RFC 9374
// 2001:db8::/32        | documentation        | Documentation, RFC 3849
// 2002::/16            | (embedded IPv4)      | 6to4, RFC 3056: judged by the IPv4 it embeds
// 3fff::/20            | documentation        | Documentation, RFC 9637
// 5f00::/16            | srv6                 | Segment Routing (SRv6) SIDs, RFC 9602
// fc00::/7             | unique-local         | Unique-Local, RFC 4193 / RFC 8190
// fe80::/10            | link-local           | Link-Local Unicast, RFC 4291
// fec0::/10            | site-local           | (site-local, deprecated by RFC 3879)
// ff00::/8             | multicast            | (multicast, RFC 4291 2.7; not unicast)
// outside 2000::/3     | reserved             | (IANA IPv6 Address Space: reserved by IETF)
// Globally reachable, not refused: 2620:4f:8000::/48 AS112 direct delegation (RFC 7534).

import { isIP } from "node:net";

type V4Range = readonly [base: number, bits: number, kind: string];

/** Globally reachable blocks inside refused ones: checked first, never refused. */
const V4_REACHABLE: readonly V4Range[] = [
  [0xc0000009, 32, ""], // 192.0.0.9/32 PCP anycast
  [0xc000000a, 32, ""], // 192.0.0.10/32 TURN anycast
];

const V4_RANGES: readonly V4Range[] = [
  [0x00000000, 8, "unspecified"], // 0.0.0.0/8
  [0x0a000000, 8, "private"], // 10.0.0.0/8
  [0x64400000, 10, "private"], // 100.64.0.0/10
  [0x7f000000, 8, "loopback"], // 127.0.0.0/8
  [0xa9fe0000, 16, "link-local"], // 169.254.0.0/16
  [0xac100000, 12, "private"], // 172.16.0.0/12
  [0xc0000000, 24, "protocol-assignment"], // 192.0.0.0/24
  [0xc0000200, 24, "documentation"], // 192.0.2.0/24
  [0xc0586300, 24, "deprecated"], // 192.88.99.0/24
  [0xc0a80000, 16, "private"], // 192.168.0.0/16
  [0xc6120000, 15, "benchmarking"], // 198.18.0.0/15
  [0xc6336400, 24, "documentation"], // 198.51.100.0/24
  [0xcb007100, 24, "documentation"], // 203.0.113.0/24
  [0xe0000000, 4, "multicast"], // 224.0.0.0/4
  [0xf0000000, 4, "reserved"], // 240.0.0.0/4, includes 255.255.255.255
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

function inV4(n: number, [base, bits]: V4Range): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (n & mask) >>> 0 === base;
}

function classifyV4(n: number): string | undefined {
  if (V4_REACHABLE.some((range) => inV4(n, range))) return undefined;
  for (const range of V4_RANGES) if (inV4(n, range)) return range[2];
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

type V6Range = readonly [prefix: Uint8Array, bits: number, kind: string];

function v6Range(prefix: string, bits: number, kind = ""): V6Range {
  return [parseV6(prefix)!, bits, kind];
}

function inV6(b: Uint8Array, [prefix, bits]: V6Range): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (b[i] !== prefix[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (b[whole]! & mask) === (prefix[whole]! & mask);
}

/** Globally reachable blocks inside refused ones (see the table at the top). */
const V6_REACHABLE: readonly V6Range[] = [
  v6Range("2001:1::1", 128),
  v6Range("2001:1::2", 128),
  v6Range("2001:1::3", 128),
  v6Range("2001:3::", 32),
  v6Range("2001:4:112::", 48),
  v6Range("2001:20::", 28),
  v6Range("2001:30::", 28),
];

/** Blocks that embed an IPv4 address in their last 32 bits: judged by that address first. */
const V6_EMBEDDING_V4: readonly V6Range[] = [
  v6Range("::ffff:0:0", 96, "ipv4-mapped"),
  v6Range("::ffff:0:0:0", 96, "ipv4-translated"),
  // The deprecated IPv4-compatible form; :: and ::1 are matched before it.
  v6Range("::", 96, "reserved"),
  // NAT64's well-known prefix is globally reachable: an IPv6-only host reaches public
  // push services through it, so only a refused embedded address refuses it.
  v6Range("64:ff9b::", 96, ""),
];

/** Refused blocks, the more specific ones first so the kind is the most telling. */
const V6_RANGES: readonly V6Range[] = [
  v6Range("64:ff9b:1::", 48, "translation"),
  v6Range("100::", 64, "discard"),
  v6Range("100:0:0:1::", 64, "reserved"),
  v6Range("2001::", 32, "teredo"),
  v6Range("2001:2::", 48, "benchmarking"),
  v6Range("2001:10::", 28, "deprecated"),
  v6Range("2001::", 23, "protocol-assignment"),
  v6Range("2001:db8::", 32, "documentation"),
  v6Range("3fff::", 20, "documentation"),
  v6Range("5f00::", 16, "srv6"),
  v6Range("fc00::", 7, "unique-local"),
  v6Range("fe80::", 10, "link-local"),
  v6Range("fec0::", 10, "site-local"),
  v6Range("ff00::", 8, "multicast"),
];

const GLOBAL_UNICAST = v6Range("2000::", 3);
const SIX_TO_FOUR = v6Range("2002::", 16);

function classifyV6(b: Uint8Array): string | undefined {
  const zeroUpTo = (n: number) => b.subarray(0, n).every((x) => x === 0);
  if (zeroUpTo(16)) return "unspecified"; // ::
  if (zeroUpTo(15) && b[15] === 1) return "loopback"; // ::1
  if (V6_REACHABLE.some((range) => inV6(b, range))) return undefined;
  // A refused embedded IPv4 address names the real target (::ffff:127.0.0.1 is loopback).
  for (const range of V6_EMBEDDING_V4) {
    if (inV6(b, range)) return classifyV4(v4At(b, 12)) ?? (range[2] || undefined);
  }
  // 6to4 2002:AABB:CCDD::/48 routes to the IPv4 address AA.BB.CC.DD.
  if (inV6(b, SIX_TO_FOUR)) return classifyV4(v4At(b, 2));
  for (const range of V6_RANGES) if (inV6(b, range)) return range[2];
  return inV6(b, GLOBAL_UNICAST) ? undefined : "reserved";
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
