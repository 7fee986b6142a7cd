import { describe, expect, it } from "vitest";
import { BlockedAddressError } from "../errors.ts";
import { classifyAddress, isIpLiteral } from "./address.ts";
import { HostPolicy } from "./guarded-lookup.ts";

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
    "::ffff:8.8.8.8",
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
