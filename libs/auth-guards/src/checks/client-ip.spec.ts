import { parseForwardedFor, resolveClientIp } from './client-ip';

const PROXIES = ['10.0.0.0/24', '::1/128'];

describe('resolveClientIp', () => {
  it('uses the direct peer when there is no proxy involved', () => {
    expect(resolveClientIp({ peerAddress: '198.51.100.7', forwardedFor: undefined, trustedProxies: PROXIES })).toBe('198.51.100.7');
    expect(resolveClientIp({ peerAddress: '::ffff:198.51.100.7', forwardedFor: undefined, trustedProxies: [] })).toBe('198.51.100.7');
  });

  it('ignores X-Forwarded-For from an untrusted peer (a spoofed header changes nothing)', () => {
    expect(resolveClientIp({ peerAddress: '198.51.100.7', forwardedFor: '127.0.0.1', trustedProxies: PROXIES })).toBe('198.51.100.7');
    expect(resolveClientIp({ peerAddress: '127.0.0.1', forwardedFor: '10.1.1.1', trustedProxies: [] })).toBe('127.0.0.1');
  });

  it('takes the right-most untrusted address when the peer is a trusted proxy', () => {
    expect(resolveClientIp({ peerAddress: '10.0.0.5', forwardedFor: '203.0.113.1', trustedProxies: PROXIES })).toBe('203.0.113.1');
    // The client prepended a fake entry; the proxy appended the real one.
    expect(resolveClientIp({ peerAddress: '10.0.0.5', forwardedFor: '127.0.0.1, 203.0.113.1', trustedProxies: PROXIES })).toBe('203.0.113.1');
    // Two trusted proxies in a row are skipped.
    expect(resolveClientIp({ peerAddress: '10.0.0.5', forwardedFor: '1.2.3.4, 203.0.113.1, 10.0.0.9', trustedProxies: PROXIES })).toBe('203.0.113.1');
    // Repeated headers are one list.
    expect(resolveClientIp({ peerAddress: '10.0.0.5', forwardedFor: ['1.2.3.4', '203.0.113.1'], trustedProxies: PROXIES })).toBe('203.0.113.1');
    // IPv6 peer and hop.
    expect(resolveClientIp({ peerAddress: '::1', forwardedFor: '2001:db8::7', trustedProxies: PROXIES })).toBe('2001:db8::7');
  });

  it('uses the proxy itself when every hop is trusted or the header is absent', () => {
    expect(resolveClientIp({ peerAddress: '10.0.0.5', forwardedFor: undefined, trustedProxies: PROXIES })).toBe('10.0.0.5');
    expect(resolveClientIp({ peerAddress: '10.0.0.5', forwardedFor: '10.0.0.7', trustedProxies: PROXIES })).toBe('10.0.0.7');
  });

  it('refuses to guess when the chain holds a garbled hop or the peer is unknown', () => {
    expect(resolveClientIp({ peerAddress: '10.0.0.5', forwardedFor: '203.0.113.1, garbage', trustedProxies: PROXIES })).toBeUndefined();
    expect(resolveClientIp({ peerAddress: undefined, forwardedFor: '203.0.113.1', trustedProxies: PROXIES })).toBeUndefined();
  });
});

describe('parseForwardedFor', () => {
  it('splits, trims and strips ports and brackets', () => {
    expect(parseForwardedFor(' 1.2.3.4 ,5.6.7.8:443, [2001:db8::1]:8080 , ,')).toEqual(['1.2.3.4', '5.6.7.8', '2001:db8::1']);
    expect(parseForwardedFor(undefined)).toEqual([]);
  });
});
