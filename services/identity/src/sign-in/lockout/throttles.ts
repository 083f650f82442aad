import type { Settings } from '@headlesskey/contracts';
import { clientNetwork, DomainError } from '@headlesskey/platform';
import { invalidReset } from '../../credential/reset/invalid.js';
import { identifierKey } from '../../user/canonical.js';
import type { Limits } from './counter.js';
import type { Throttle } from './gate.js';
import { accountKey, fromClient, ipKey, mailKey, otpKey, verifyKey } from './keys.js';

/**
 * Sign-in attempts have their own streams, apart from the user's: per account when the login
 * names one, else per typed name, so unknown names are throttled and audited the same way.
 */
export const signInStream = (userId: number | undefined, typed: string): string =>
  userId === undefined ? `signin-name-${identifierKey(typed)}` : `signin-user-${userId}`;

export const ipStream = (ip: string): string => `signin-ip-${clientNetwork(ip)}`;

/** Five wrong codes per account per hour, however many codes are asked for (docs/api.md: five tries). */
export const OTP_LIMITS: Limits = { maxAttempts: 5, windowMs: 3600_000, lockoutMs: 3600_000 };
/** Reset mails per account asked for from one client network per hour: enough for a user. */
export const MAIL_LIMITS: Limits = { maxAttempts: 5, windowMs: 3600_000, lockoutMs: 3600_000 };
/**
 * Reset mails per account per hour from all addresses together: a ceiling against a flooded
 * mailbox, ten addresses' worth, so that one address (or a few) cannot starve the owner's own.
 */
export const MAIL_ACCOUNT_LIMITS: Limits = { maxAttempts: 50, windowMs: 3600_000, lockoutMs: 3600_000 };

/** The account-wide count spans a day: a slow guesser from many addresses still reaches it. */
export const ACCOUNT_WINDOW_MS = 24 * 3600_000;

/**
 * The throttles a password check goes through, in order: the client's address across usernames,
 * the account from that address (the fast lock: `max_attempts` in `window`), and the account from
 * every address (`account_max_attempts` in a day). A client proving a device that logged in
 * before (`knownDevice`) skips only the last: strangers who lock an account lock it for strangers.
 */
export function signInThrottles(
  settings: Settings,
  ip: string,
  account: { userId: number | undefined; typed: string; knownDevice: boolean },
): Throttle[] {
  const { userId, typed, knownDevice } = account;
  const fast = { maxAttempts: settings.max_attempts, windowMs: settings.window * 1000, lockoutMs: settings.lockout * 1000 };
  const wide = { maxAttempts: settings.account_max_attempts, windowMs: ACCOUNT_WINDOW_MS, lockoutMs: settings.lockout * 1000 };
  const fromThisClient = accountThrottle(fromClient(accountKey(userId, typed), ip), fast, userId, typed, 'client');
  const fromEveryClient = accountThrottle(accountKey(userId, typed), wide, userId, typed, 'account');
  return [ipThrottle(settings, ip), fromThisClient, ...(knownDevice ? [] : [fromEveryClient])];
}

/**
 * An account (or typed name) a password is tried against, from one client or from all (`scope`).
 * Known and unknown names lock with the same answer and the same `retry_after`, so the lock tells
 * nothing about who exists. Every attempt counts before its check and a success clears the count.
 */
function accountThrottle(key: string, limits: Limits, userId: number | undefined, typed: string, scope: 'client' | 'account'): Throttle {
  return {
    key,
    limits,
    counts: 'before',
    refusal: (retryAfter) => new DomainError('headlesskey_account_locked', undefined, { retry_after: retryAfter }),
    lockedFacts: (until, seconds) => ({
      stream: signInStream(userId, typed),
      events: [
        {
          type: 'auth.account.locked',
          data: { user_id: userId ?? null, scope, locked_until: until.toISOString(), lockout_seconds: seconds },
        },
      ],
    }),
  };
}

/**
 * The client's address, across every username. Only failures count, once known: many honest users
 * behind one address log in at once, and their attempts in flight must not block it.
 */
function ipThrottle(settings: Settings, ip: string): Throttle {
  return {
    key: ipKey(ip),
    limits: { maxAttempts: settings.ip_max_attempts, windowMs: settings.window * 1000, lockoutMs: settings.lockout * 1000 },
    counts: 'after',
    refusal: (retryAfter) => new DomainError('headlesskey_ip_blocked', undefined, { retry_after: retryAfter }),
    lockedFacts: (until, seconds) => ({
      stream: ipStream(ip),
      events: [{ type: 'auth.ip.blocked', data: { ip: clientNetwork(ip), blocked_until: until.toISOString(), block_seconds: seconds } }],
    }),
  };
}

/** Tries of reset codes: refused exactly like a wrong code, so the limit gives nothing away. */
export function otpThrottle(userId: number | undefined, typed: string): Throttle {
  return {
    key: otpKey(userId, typed),
    limits: OTP_LIMITS,
    counts: 'before',
    refusal: () => invalidReset(),
  };
}

/** Email verification codes: five wrong ones per account per hour, as reset codes. */
export function verifyThrottle(userId: number | undefined, typed: string): Throttle {
  return {
    key: verifyKey(userId, typed),
    limits: OTP_LIMITS,
    counts: 'before',
    refusal: () => new DomainError('headlesskey_invalid_verification'),
  };
}

/**
 * Reset mails to one account: per client network that asked for them, then all together (see
 * `MAIL_LIMITS`). Over either limit a request is dropped, never answered differently; one dropped
 * by its own address's limit counts nothing toward the account's.
 */
export function mailThrottles(userId: number, ip: string): Throttle[] {
  const refusal = (retryAfter: number) => new DomainError('headlesskey_rate_limited', undefined, { retry_after: retryAfter });
  return [
    { key: fromClient(mailKey(userId), ip), limits: MAIL_LIMITS, counts: 'before', refusal },
    { key: mailKey(userId), limits: MAIL_ACCOUNT_LIMITS, counts: 'before', refusal },
  ];
}
