import { isIPv4, isIPv6 } from 'node:net';
import { identifierKey } from '../../user/canonical.js';

/**
 * Counter keys. A known account is counted by id, whichever of its login or email was typed; an
 * unknown one by the canonical typed name, so it locks exactly as an account would.
 */
export const accountKey = (userId: number | undefined, typed: string): string =>
  userId === undefined ? `name:${identifierKey(typed)}` : `account:${userId}`;

/** Wrong reset codes, per account (or typed name), apart from wrong passwords. */
export const otpKey = (userId: number | undefined, typed: string): string =>
  userId === undefined ? `otp-name:${identifierKey(typed)}` : `otp:${userId}`;

/** Reset mails sent to one account, so nobody can flood its mailbox. */
export const mailKey = (userId: number): string => `mail:${userId}`;

export const ipKey = (ip: string): string => `ip:${clientNetwork(ip)}`;

/**
 * One counter of `key` per client network (`account:7|ip:203.0.113.9`): what one address does
 * to an account counts apart from what every other address does to it.
 */
export const fromClient = (key: string, ip: string): string => `${key}|${ipKey(ip)}`;

/** What every per-client counter of `key` starts with. */
export const clientsOf = (key: string): string => `${key}|ip:`;

/**
 * The unit an IP counter blocks: an IPv4 address (also when written IPv4-mapped), or the /64 of an
 * IPv6 address, since one IPv6 client commonly holds a whole /64 and could rotate through it.
 */
export function clientNetwork(ip: string): string {
  const address = ip.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** Eight 4-digit groups, `::` filled in; an embedded IPv4 tail becomes two groups. */
function expandIPv6(address: string): string[] {
  let text = address;
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text)?.[1];
  if (v4) {
    const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
    text = `${text.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => group.padStart(4, '0'));
}
