import { describe, expect, it } from 'vitest';
import { clientNetwork } from './client-network.js';

describe('clientNetwork', () => {
  it('keeps an IPv4 address whole, also when IPv4-mapped', () => {
    expect(clientNetwork('203.0.113.9')).toBe('203.0.113.9');
    expect(clientNetwork('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('counts an IPv6 client by its /64, however the address is written', () => {
    const net = '2001:0db8:0000:0001::/64';
    expect(clientNetwork('2001:db8:0:1::5')).toBe(net);
    expect(clientNetwork('2001:DB8:0:1:ffff:1:2:3')).toBe(net);
    expect(clientNetwork('2001:db8::1:0:0:0:9')).toBe('2001:0db8:0000:0001::/64');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0000:0000:0000::/64');
    expect(clientNetwork('::1')).toBe('0000:0000:0000:0000::/64');
  });

  it('gives every way of writing one /64 the same network, and another /64 another', () => {
    const net = clientNetwork('2001:db8::7');
    expect(clientNetwork('2001:0DB8:0000:0000:ffff::1')).toBe(net);
    expect(clientNetwork('2001:db8:0:1::7')).not.toBe(net);
    expect(clientNetwork('2001:db8:1:2:3:4:5:6')).toBe('2001:0db8:0001:0002::/64');
  });
});
