import { ipInCidrs, isValidCidr, normalizeIp, parseCidr } from './cidr';

describe('cidr', () => {
  it('matches IPv4 addresses inside and outside a range', () => {
    expect(ipInCidrs('10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(ipInCidrs('11.1.2.3', ['10.0.0.0/8'])).toBe(false);
    expect(ipInCidrs('192.168.1.255', ['192.168.1.0/24'])).toBe(true);
    expect(ipInCidrs('192.168.2.0', ['192.168.1.0/24'])).toBe(false);
    expect(ipInCidrs('127.0.0.1', ['127.0.0.1/32'])).toBe(true);
    expect(ipInCidrs('127.0.0.2', ['127.0.0.1/32'])).toBe(false);
    expect(ipInCidrs('203.0.113.9', ['0.0.0.0/0'])).toBe(true);
  });

  it('matches IPv6 addresses inside and outside a range', () => {
    expect(ipInCidrs('2001:db8::1', ['2001:db8::/32'])).toBe(true);
    expect(ipInCidrs('2001:db9::1', ['2001:db8::/32'])).toBe(false);
    expect(ipInCidrs('::1', ['::1/128'])).toBe(true);
    expect(ipInCidrs('::2', ['::1/128'])).toBe(false);
  });

  it('treats an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(ipInCidrs('::ffff:127.0.0.1', ['127.0.0.1/32'])).toBe(true);
    expect(ipInCidrs('::ffff:10.9.8.7', ['10.0.0.0/8'])).toBe(true);
    expect(ipInCidrs('::ffff:11.9.8.7', ['10.0.0.0/8'])).toBe(false);
    expect(normalizeIp('::ffff:7f00:1')).toBe('127.0.0.1');
    // A mapped range in the allowlist is the IPv4 range it denotes.
    expect(parseCidr('::ffff:10.0.0.0/104').text).toBe('10.0.0.0/8');
    expect(ipInCidrs('10.200.0.1', ['::ffff:10.0.0.0/104'])).toBe(true);
  });

  it('never matches across families', () => {
    expect(ipInCidrs('127.0.0.1', ['::1/128'])).toBe(false);
    expect(ipInCidrs('::1', ['127.0.0.1/32'])).toBe(false);
    expect(ipInCidrs('::1', ['0.0.0.0/0'])).toBe(false);
  });

  it('fails closed on invalid addresses and skips invalid CIDRs', () => {
    expect(ipInCidrs('not-an-ip', ['0.0.0.0/0'])).toBe(false);
    expect(ipInCidrs('', ['0.0.0.0/0'])).toBe(false);
    expect(ipInCidrs('10.1', ['10.0.0.0/8'])).toBe(false); // legacy short IPv4 form
    expect(ipInCidrs('0x0a.0.0.1', ['10.0.0.0/8'])).toBe(false);
    expect(ipInCidrs('10.0.0.1', ['junk', '10.0.0.0/8'])).toBe(true);
  });

  it('parses bare addresses as host routes and rejects bad prefixes', () => {
    expect(parseCidr('10.0.0.1').text).toBe('10.0.0.1/32');
    expect(parseCidr('::1').text).toBe('::1/128');
    expect(isValidCidr('10.0.0.0/33')).toBe(false);
    expect(isValidCidr('::/129')).toBe(false);
    expect(isValidCidr('10.0.0.0/-1')).toBe(false);
    expect(isValidCidr('10.0.0.0/ 8')).toBe(false);
    expect(isValidCidr('10.0.0.0/8')).toBe(true);
    expect(() => parseCidr('300.0.0.0/8')).toThrow(RangeError);
  });
});
