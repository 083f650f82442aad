import { describe, expect, it } from 'vitest';
import { accountKey, clientsOf, fromClient, ipKey, mailKey, otpKey } from './keys.js';

describe('counter keys', () => {
  it('counts a known account by id, whatever was typed', () => {
    expect(accountKey(7, 'Ada')).toBe('account:7');
    expect(accountKey(7, 'ada@example.com')).toBe('account:7');
  });

  it('counts an unknown name by its canonical form, so look-alikes share one counter', () => {
    expect(accountKey(undefined, '  ＧＨＯＳＴ ')).toBe('name:ghost');
    expect(accountKey(undefined, 'ghost')).toBe('name:ghost');
    expect(otpKey(undefined, 'Ghost')).toBe('otp-name:ghost');
  });

  it("counts an account's attempts per client network apart", () => {
    expect(fromClient(accountKey(7, 'ada'), '::ffff:203.0.113.9')).toBe('account:7|ip:203.0.113.9');
    expect(fromClient(mailKey(7), '2001:db8:0:1::5')).toBe('mail:7|ip:2001:0db8:0000:0001::/64');
    expect(fromClient(accountKey(7, 'ada'), '203.0.113.9').startsWith(clientsOf('account:7'))).toBe(true);
    expect(fromClient(accountKey(70, 'ada'), '203.0.113.9').startsWith(clientsOf('account:7'))).toBe(false);
  });

  it('keys an address by its client network', () => {
    expect(ipKey('203.0.113.9')).toBe('ip:203.0.113.9');
  });
});
