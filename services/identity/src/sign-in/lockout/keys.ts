import { clientNetwork } from '@headlesskey/platform';
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

/** Wrong email verification codes, per account (or typed name). */
export const verifyKey = (userId: number | undefined, typed: string): string =>
  userId === undefined ? `verify-name:${identifierKey(typed)}` : `verify:${userId}`;

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
