import { ipInCidrs, normalizeIp, parseCidr } from './cidr';
import type { Cidr } from './cidr';

export interface ClientIpInput {
  /** The direct TCP peer (`request.socket.remoteAddress`). */
  peerAddress: string | undefined;
  /** The raw `X-Forwarded-For` header value(s), if any. */
  forwardedFor: string | readonly string[] | undefined;
  /** Addresses/CIDRs of reverse proxies whose `X-Forwarded-For` is believed (TRUSTED_PROXIES). */
  trustedProxies: readonly (string | Cidr)[];
}

/**
 * The address a request really comes from (seed 001 section 7.1), or undefined when it cannot be
 * known (the caller then refuses).
 *
 * `X-Forwarded-For` is only believed when the direct peer is a trusted proxy: anyone can send the
 * header, so from an untrusted peer it changes nothing. From a trusted peer the list is walked from
 * the right (each proxy appends the address it saw) past further trusted proxies; the first
 * untrusted address is the client. Entries left of it were written by the client and are ignored.
 */
export function resolveClientIp(input: ClientIpInput): string | undefined {
  const peer = input.peerAddress === undefined ? undefined : normalizeIp(input.peerAddress);
  if (!peer) return undefined;
  const trusted = input.trustedProxies.map((proxy) => (typeof proxy === 'string' ? parseCidr(proxy) : proxy));
  if (!ipInCidrs(peer, trusted)) return peer;
  const hops = parseForwardedFor(input.forwardedFor);
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = normalizeIp(hops[index]);
    // A garbled hop means the chain cannot be trusted past this point: refuse rather than guess.
    if (!hop) return undefined;
    if (!ipInCidrs(hop, trusted)) return hop;
  }
  // Every hop (or no header at all) is a trusted proxy: the request originates at the proxy itself.
  return hops.length > 0 ? normalizeIp(hops[0]) : peer;
}

/** Splits `X-Forwarded-For` (possibly repeated headers) into trimmed entries, in order; strips ports and brackets. */
export function parseForwardedFor(header: string | readonly string[] | undefined): string[] {
  if (header === undefined) return [];
  const values = typeof header === 'string' ? [header] : header;
  return values
    .flatMap((value) => value.split(','))
    .map((entry) => stripPort(entry.trim()))
    .filter((entry) => entry.length > 0);
}

function stripPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  if (v4WithPort) return v4WithPort[1];
  return entry;
}
