import { describe, expect, it } from "vitest";
import { BlockedAddressError } from "../errors.ts";
import { classifyAddress, isIpLiteral } from "./address.ts";
import { HostPolicy } from "./guarded-lookup.ts";

// Edges computed here with BigInt, independently of address.ts: for each range, its first
// and last address and the addresses just outside it (null where there is none).
function v4ToBig(text: string): bigint {
  return text.split(".").reduce((n, part) => n * 256n + BigInt(part), 0n);
}
function bigToV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 255n)).join(".");
}
function v6ToBig(text: string): bigint {
  const [head = "", tail] = text.split("::");
  const groups = (s: string | undefined) => (s ? s.split(":") : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return all.reduce((n, g) => n * 65536n + BigInt(`0x${g}`), 0n);
}
function bigToV6(n: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(16 * i)) & 0xffffn).toString(16));
  return groups.join(":");
}
function edges(cidr: string) {
  const [base = "", bitsText = ""] = cidr.split("/");
  const v6 = base.includes(":");
  const width = v6 ? 128n : 32n;
  const start = v6 ? v6ToBig(base) : v4ToBig(base);
  const size = 1n << (width - BigInt(bitsText));
  const last = start + size - 1n;
  const text = v6 ? bigToV6 : bigToV4;
  return {
    first: text(start),
    last: text(last),
    below: start === 0n ? null : text(start - 1n),
    above: last === (1n << width) - 1n ? null : text(last + 1n),
  };
}

type Expect = string; // a kind, or "public"
// [range, first, last, just below, just above]: the IANA special-purpose registries' rows.
const REGISTRY_EDGES: readonly [string, Expect, Expect, Expect | null, Expect | null][] = [
  ["0.0.0.0/8", "unspecified", "unspecified", null, "public"],
  ["10.0.0.0/8", "private", "private", "public", "public"],
  ["100.64.0.0/10", "private", "private", "public", "public"],
  ["127.0.0.0/8", "loopback", "loopback", "public", "public"],
  ["169.254.0.0/16", "link-local", "link-local", "public", "public"],
  ["172.16.0.0/12", "private", "private", "public", "public"],
  ["192.0.0.0/24", "protocol-assignment", "protocol-assignment", "public", "public"],
  ["192.0.0.9/32", "public", "public", "protocol-assignment", "public"],
  ["192.0.0.10/32", "public", "public", "public", "protocol-assignment"],
  ["192.0.2.0/24", "documentation", "documentation", "public", "public"],
  ["192.31.196.0/24", "public", "public", "public", "public"],
  ["192.52.193.0/24", "public", "public", "public", "public"],
  ["192.88.99.0/24", "deprecated", "deprecated", "public", "public"],
  ["192.168.0.0/16", "private", "private", "public", "public"],
  ["192.175.48.0/24", "public", "public", "public", "public"],
  ["198.18.0.0/15", "benchmarking", "benchmarking", "public", "public"],
  ["198.51.100.0/24", "documentation", "documentation", "public", "public"],
  ["203.0.113.0/24", "documentation", "documentation", "public", "public"],
  ["224.0.0.0/4", "multicast", "multicast", "public", "reserved"],
  ["240.0.0.0/4", "reserved", "reserved", "multicast", null],
  ["::/128", "unspecified", "unspecified", null, "loopback"],
  // ::2 is the deprecated IPv4-compatible form of 0.0.0.2.
  ["::1/128", "loopback", "loopback", "unspecified", "unspecified"],
  // Embedding ranges: the edges embed 0.0.0.0 and 255.255.255.255 (see the middles below).
  ["::ffff:0:0/96", "unspecified", "reserved", "reserved", "reserved"],
  ["::ffff:0:0:0/96", "unspecified", "reserved", "reserved", "reserved"],
  ["64:ff9b::/96", "unspecified", "reserved", "reserved", "reserved"],
  ["64:ff9b:1::/48", "translation", "translation", "reserved", "reserved"],
  ["100::/64", "discard", "discard", "reserved", "reserved"],
  ["100:0:0:1::/64", "reserved", "reserved", "discard", "reserved"],
  ["2001::/23", "teredo", "protocol-assignment", "public", "public"],
  ["2001::/32", "teredo", "teredo", "public", "protocol-assignment"],
  ["2001:1::1/128", "public", "public", "protocol-assignment", "public"],
  ["2001:1::2/128", "public", "public", "public", "public"],
  ["2001:1::3/128", "public", "public", "public", "protocol-assignment"],
  ["2001:2::/48", "benchmarking", "benchmarking", "protocol-assignment", "protocol-assignment"],
  ["2001:3::/32", "public", "public", "protocol-assignment", "protocol-assignment"],
  ["2001:4:112::/48", "public", "public", "protocol-assignment", "protocol-assignment"],
  ["2001:10::/28", "deprecated", "deprecated", "protocol-assignment", "public"],
  ["2001:20::/28", "public", "public", "deprecated", "public"],
  ["2001:30::/28", "public", "public", "public", "protocol-assignment"],
  ["2001:db8::/32", "documentation", "documentation", "public", "public"],
  ["2002::/16", "unspecified", "reserved", "public", "public"],
  ["2620:4f:8000::/48", "public", "public", "public", "public"],
  ["3fff::/20", "documentation", "documentation", "public", "public"],
  ["5f00::/16", "srv6", "srv6", "reserved", "reserved"],
  ["fc00::/7", "unique-local", "unique-local", "reserved", "reserved"],
  ["fe80::/10", "link-local", "link-local", "reserved", "site-local"],
  ["fec0::/10", "site-local", "site-local", "link-local", "multicast"],
  ["ff00::/8", "multicast", "multicast", "site-local", null],
  ["2000::/3", "public", "public", "reserved", "reserved"],
];

describe("classifyAddress on the IANA special-purpose registries", () => {
  const verdict = (address: string) => classifyAddress(address) ?? "public";
  it.each(REGISTRY_EDGES)("%s: first %s, last %s, below %s, above %s", (cidr, ...expected) => {
    const e = edges(cidr);
    const seen = [e.first, e.last, e.below, e.above].map((a) => (a === null ? null : verdict(a)));
    expect({ cidr, seen }).toEqual({ cidr, seen: expected });
  });

  it.each([
    ["::ffff:8.8.8.8", "ipv4-mapped"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:0:8.8.8.8", "ipv4-translated"],
    ["::ffff:0:7f00:1", "loopback"],
    ["::8.8.8.8", "reserved"],
    ["64:ff9b::8.8.8.8", "public"],
    ["64:ff9b::192.168.0.1", "private"],
    ["64:ff9b::198.18.0.1", "benchmarking"],
    ["64:ff9b:1::8.8.8.8", "translation"],
    ["2002:808:808::1", "public"],
    ["2002:c612:1::1", "benchmarking"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo"],
    ["[2001:db8::1]", "documentation"],
    ["2001:1::4", "protocol-assignment"],
  ])("judges %s as %s", (address, kind) => {
    expect(verdict(address)).toBe(kind);
  });
});

describe("classifyAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["100.127.255.255", "private"],
    ["169.254.169.254", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["fe80::1", "link-local"],
    ["febf::1", "link-local"],
    ["fc00::1", "unique-local"],
    ["fd12:3456::1", "unique-local"],
    ["fec0::1", "site-local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::127.0.0.1", "loopback"],
    ["64:ff9b::a00:1", "private"],
    ["2002:c0a8:0101::1", "private"],
    ["fe80::1%eth0", "link-local"],
    ["[::1]", "loopback"],
  ])("refuses %s as %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    "8.8.8.8",
    "172.32.0.1",
    "172.15.255.255",
    "100.128.0.1",
    "192.169.0.1",
    "2001:4860:4860::8888",
    "2a00:1450:4001:80b::200a",
  ])("accepts public %s", (address) => {
    expect(classifyAddress(address)).toBeUndefined();
  });

  it("calls a host name invalid and spots literals", () => {
    expect(classifyAddress("example.com")).toBe("invalid");
    expect(isIpLiteral("[::1]")).toBe(true);
    expect(isIpLiteral("10.0.0.1")).toBe(true);
    expect(isIpLiteral("push.example")).toBe(false);
  });
});

describe("HostPolicy", () => {
  it("refuses private literals unless allowed", () => {
    const policy = new HostPolicy(["127.0.0.1", "[::1]"]);
    expect(policy.checkLiteral("127.0.0.1")).toBeUndefined();
    expect(policy.checkLiteral("[::1]")).toBeUndefined();
    const refused = policy.checkLiteral("10.0.0.1");
    expect(refused).toBeInstanceOf(BlockedAddressError);
    expect(refused?.kind).toBe("private");
    expect(refused?.message).toContain("allowHosts");
    expect(policy.checkLiteral("8.8.8.8")).toBeUndefined();
  });

  it("refuses a name that resolves to loopback, through the connect lookup", async () => {
    const lookup = new HostPolicy().lookupFor("localhost")!;
    const error = await new Promise<unknown>((resolve) =>
      lookup("localhost", { all: true }, (err) => resolve(err)),
    );
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as BlockedAddressError).kind).toBe("loopback");
    expect(new HostPolicy(["LOCALHOST"]).lookupFor("localhost")).toBeUndefined();
  });

  it("prechecks names for the proxy path", async () => {
    const refused = await new HostPolicy().precheck("localhost");
    expect(refused?.kind).toBe("loopback");
    expect(await new HostPolicy(["localhost"]).precheck("localhost")).toBeUndefined();
  });
});
