import { describe, expect, it } from 'vitest';
import { rateClient, rateScope } from './rate-limit.js';

describe('rateClient', () => {
  it('counts an IPv4 address as it is, also when IPv4-mapped', () => {
    expect(rateClient('203.0.113.9')).toBe('203.0.113.9');
    expect(rateClient('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('counts IPv6 addresses by their /64, however they are written', () => {
    expect(rateClient('2001:db8::7')).toBe('2001:db8:0:0::/64');
    expect(rateClient('2001:0DB8:0000:0000:ffff::1')).toBe('2001:db8:0:0::/64');
    expect(rateClient('2001:db8:0:1::7')).toBe('2001:db8:0:1::/64');
    expect(rateClient('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(rateClient('::1')).toBe('0:0:0:0::/64');
    expect(rateClient('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

describe('rateScope', () => {
  it('names a route the same on every namespace, in key-safe characters', () => {
    expect(rateScope('/register')).toBe('register');
    expect(rateScope('/sso/exchange')).toBe('sso-exchange');
  });
});
