import { describe, expect, it } from 'vitest';
import { checkAddress } from './address-policy.js';

const refused = (ip: string) => {
  const verdict = checkAddress(ip);
  return verdict.allowed ? undefined : verdict.reason;
};

describe('checkAddress', () => {
  it('allows public unicast addresses', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4001::1']) {
      expect(checkAddress(ip)).toEqual({ allowed: true });
    }
  });

  it('refuses loopback, link-local, private and shared IPv4 ranges', () => {
    expect(refused('127.0.0.1')).toBe('127.0.0.1 is a loopback address');
    expect(refused('127.255.255.254')).toMatch(/loopback/);
    expect(refused('169.254.1.1')).toMatch(/link-local/);
    expect(refused('10.1.2.3')).toMatch(/private/);
    expect(refused('172.16.0.1')).toMatch(/private/);
    expect(refused('172.31.255.255')).toMatch(/private/);
    expect(refused('192.168.1.1')).toMatch(/private/);
    expect(refused('100.64.0.1')).toMatch(/carrier-grade/);
    expect(refused('100.127.255.254')).toMatch(/carrier-grade/);
  });

  it('refuses the unspecified, broadcast, multicast and reserved addresses', () => {
    expect(refused('0.0.0.0')).toMatch(/unspecified/);
    expect(refused('0.1.2.3')).toMatch(/unspecified/);
    expect(refused('255.255.255.255')).toMatch(/broadcast/);
    expect(refused('224.0.0.1')).toMatch(/multicast/);
    expect(refused('240.0.0.1')).toMatch(/reserved/);
    expect(refused('198.18.0.1')).toBeDefined();
  });

  it('refuses loopback, link-local and unique local IPv6, and anything outside global unicast', () => {
    expect(refused('::1')).toMatch(/loopback/);
    expect(refused('::')).toMatch(/unspecified/);
    expect(refused('fe80::1')).toMatch(/link-local/);
    expect(refused('febf:ffff::1')).toMatch(/link-local/);
    expect(refused('fc00::1')).toMatch(/unique local/);
    expect(refused('fd12:3456::1')).toMatch(/unique local/);
    expect(refused('ff02::1')).toMatch(/multicast/);
    expect(refused('100::1')).toBeDefined();
  });

  it('sees through IPv6 forms that embed an IPv4 address', () => {
    expect(refused('::ffff:127.0.0.1')).toBe('127.0.0.1 is a loopback address');
    expect(refused('::ffff:7f00:1')).toBe('127.0.0.1 is a loopback address');
    expect(refused('::ffff:10.0.0.1')).toMatch(/private/);
    expect(refused('::ffff:169.254.1.1')).toMatch(/link-local/);
    expect(refused('::127.0.0.1')).toMatch(/loopback|global unicast/);
    expect(refused('::7f00:1')).toMatch(/loopback|global unicast/);
    expect(refused('64:ff9b::7f00:1')).toMatch(/NAT64/);
    expect(refused('2002:7f00:1::1')).toMatch(/6to4/);
    expect(refused('2001:0:4136:e378:8000:63bf:3fff:fdd2')).toMatch(/Teredo/);
  });

  it('reads decimal, octal and hex spellings of IPv4 as the address they mean', () => {
    expect(refused('2130706433')).toBe('127.0.0.1 is a loopback address');
    expect(refused('0177.0.0.1')).toBe('127.0.0.1 is a loopback address');
    expect(refused('0x7f.0.0.1')).toBe('127.0.0.1 is a loopback address');
    expect(refused('0x7f000001')).toBe('127.0.0.1 is a loopback address');
    expect(refused('127.1')).toBe('127.0.0.1 is a loopback address');
    expect(refused('012.0.0.1')).toMatch(/private/);
    expect(refused('0xa9fe0101')).toMatch(/link-local/);
  });

  it('refuses cloud metadata addresses, in any spelling, even when private addresses are allowed', () => {
    for (const allowPrivate of [false, true]) {
      const refusedAs = (ip: string) => {
        const verdict = checkAddress(ip, { allowPrivate });
        return verdict.allowed ? undefined : verdict.reason;
      };
      expect(refusedAs('169.254.169.254')).toBe('169.254.169.254 is a cloud metadata address');
      for (const ip of [
        '2852039166',
        '0xa9fea9fe',
        '0251.0376.0251.0376',
        '::ffff:169.254.169.254',
        '::ffff:a9fe:a9fe',
        '64:ff9b::a9fe:a9fe',
      ]) {
        expect(refusedAs(ip), ip).toMatch(/ is a cloud metadata address$/);
      }
      expect(refusedAs('fd00:ec2::254')).toMatch(/cloud metadata/);
      expect(refusedAs('fd00:ec2:0:0:0:0:0:254')).toMatch(/cloud metadata/);
      expect(refusedAs('169.254.170.2')).toMatch(/cloud metadata/);
      expect(refusedAs('100.100.100.200')).toMatch(/cloud metadata/);
    }
  });

  it('allows private and loopback addresses when asked to, and nothing that is not an address', () => {
    for (const ip of ['127.0.0.1', '10.0.0.1', '::1', '169.254.1.1', 'fd00:ec2::253']) {
      expect(checkAddress(ip, { allowPrivate: true }), ip).toEqual({ allowed: true });
    }
    expect(checkAddress('localhost', { allowPrivate: true })).toMatchObject({ allowed: false });
  });

  it('refuses what is not an address', () => {
    expect(refused('localhost')).toMatch(/not an IP address/);
    expect(refused('')).toMatch(/not an IP address/);
  });
});
