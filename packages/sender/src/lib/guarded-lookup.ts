// A `lookup` for net/tls connect that resolves the name and then refuses non-public
// addresses. Passing it to the socket that actually connects (not checking in a separate
// lookup first) closes the DNS-rebinding gap: the address judged is the address used.

import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { BlockedAddressError } from "../errors.ts";
import { classifyAddress, isIpLiteral, normalizeHost } from "./address.ts";

export type LookupFunction = (
  hostname: string,
  options: LookupOptions,
  callback: (
    err: NodeJS.ErrnoException | null,
    address: string | LookupAddress[],
    family?: number,
  ) => void,
) => void;

/** Decides which hosts the guard exempts. */
export class HostPolicy {
  readonly #allow: ReadonlySet<string>;

  constructor(allowHosts: readonly string[] = []) {
    this.#allow = new Set(allowHosts.map(normalizeHost));
  }

  isAllowed(host: string): boolean {
    return this.#allow.has(normalizeHost(host));
  }

  /** Checks an IP-literal host directly (connect never calls lookup for those). */
  checkLiteral(host: string): BlockedAddressError | undefined {
    if (this.isAllowed(host) || !isIpLiteral(host)) return undefined;
    const address = normalizeHost(host);
    const kind = classifyAddress(address);
    return kind === undefined ? undefined : new BlockedAddressError(host, address, kind);
  }

  /** A `lookup` for `net.connect` that drops refused addresses and fails when none is left. */
  lookupFor(host: string): LookupFunction | undefined {
    if (this.isAllowed(host)) return undefined;
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, options.all ? [] : "");
        const usable = addresses.filter((a) => classifyAddress(a.address) === undefined);
        if (usable.length === 0) {
          const first = addresses[0];
          const error = new BlockedAddressError(
            host,
            first?.address ?? "(none)",
            first ? (classifyAddress(first.address) ?? "unusable") : "unresolvable",
          );
          return callback(error as unknown as NodeJS.ErrnoException, options.all ? [] : "");
        }
        if (options.all) return callback(null, usable);
        const chosen = usable[0]!;
        callback(null, chosen.address, chosen.family);
      });
    };
  }

  /**
   * Resolves `host` and checks every address, for paths where the connecting socket is not
   * ours (an HTTP proxy resolves the name itself). Weaker than {@link lookupFor}: the proxy
   * may see a different answer.
   */
  async precheck(host: string): Promise<BlockedAddressError | undefined> {
    const literal = this.checkLiteral(host);
    if (literal || this.isAllowed(host) || isIpLiteral(host)) return literal;
    const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
      dnsLookup(host, { all: true }, (err, list) => (err ? reject(err) : resolve(list))),
    );
    for (const a of addresses) {
      const kind = classifyAddress(a.address);
      if (kind !== undefined) return new BlockedAddressError(host, a.address, kind);
    }
    return undefined;
  }
}
