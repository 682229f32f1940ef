import ipaddr from 'ipaddr.js';

/**
 * CIDR matching for the source IP allowlists (seed 001 section 7.1). Addresses are normalised first:
 * an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, what a dual-stack socket reports for an IPv4 peer)
 * is the IPv4 address it carries, so `10.0.0.0/8` matches it and `::ffff:0:0/96` tricks nothing.
 */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** Parses an address (IPv4, IPv6, IPv4-mapped IPv6, optional IPv6 zone stripped); undefined if invalid. */
export function parseIp(value: string): IpAddress | undefined {
  const text = value.trim();
  if (!ipaddr.isValid(text)) return undefined;
  // ipaddr.isValid accepts legacy IPv4 forms ("10.1", "0x0a.0.0.1"); an allowlist must not.
  if (!text.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  const parsed = ipaddr.parse(text);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) return (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed;
}

/** The canonical text of an address (IPv4-mapped IPv6 becomes dotted IPv4); undefined if invalid. */
export function normalizeIp(value: string): string | undefined {
  return parseIp(value)?.toString();
}

export interface Cidr {
  readonly address: IpAddress;
  readonly prefixLength: number;
  readonly text: string;
}

/** Parses `a.b.c.d/n`, `x::y/n`, or a bare address (a /32 or /128). Throws on anything else. */
export function parseCidr(value: string): Cidr {
  const text = value.trim();
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const address = parseIp(addressText);
  if (!address) throw new RangeError(`invalid CIDR ${JSON.stringify(value)}: bad address`);
  const max = address.kind() === 'ipv4' ? 32 : 128;
  let prefixLength = max;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) throw new RangeError(`invalid CIDR ${JSON.stringify(value)}: bad prefix length`);
    prefixLength = Number(prefixText);
    // An IPv4-mapped range (::ffff:a.b.c.d/n, n >= 96) is the IPv4 range /n-96.
    if (address.kind() === 'ipv4' && addressText.includes(':')) prefixLength -= 96;
    if (prefixLength < 0 || prefixLength > max) throw new RangeError(`invalid CIDR ${JSON.stringify(value)}: prefix length out of range`);
  }
  return { address, prefixLength, text: `${address.toString()}/${prefixLength}` };
}

export function isValidCidr(value: string): boolean {
  try {
    parseCidr(value);
    return true;
  } catch {
    return false;
  }
}

/** Whether `ip` lies in any of `cidrs`. Invalid input never matches (fail closed). */
export function ipInCidrs(ip: string, cidrs: readonly (string | Cidr)[]): boolean {
  const address = parseIp(ip);
  if (!address) return false;
  for (const entry of cidrs) {
    let cidr: Cidr;
    try {
      cidr = typeof entry === 'string' ? parseCidr(entry) : entry;
    } catch {
      continue;
    }
    if (cidr.address.kind() !== address.kind()) continue;
    if (address.match(cidr.address, cidr.prefixLength)) return true;
  }
  return false;
}
