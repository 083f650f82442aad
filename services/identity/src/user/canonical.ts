import { usernameProblem } from '@headlesskey/contracts';
import { DomainError } from '@headlesskey/platform';

/**
 * One canonical form for names and emails, at registration and login alike, so look-alikes
 * (full-width letters, ligatures, letter case) cannot make a second account of the same name.
 */
export function canonicalName(value: string): string {
  return value.normalize('NFKC').trim();
}

/** The key a login or email is reserved under: both share one namespace, case-insensitively. */
export function identifierKey(value: string): string {
  return canonicalName(value).toLowerCase();
}

export function canonicalEmail(value: string): string {
  return canonicalName(value).toLowerCase();
}

/**
 * The login of a new account, in canonical form, or the contract's refusal naming `username`: no
 * control or invisible character, letters of one script (see `usernameProblem`). Only new logins
 * are held to it; signing in looks up any login as it was registered.
 */
export function newLogin(typed: string): string {
  const login = canonicalName(typed);
  const problem = login === '' ? 'must not be blank.' : usernameProblem(login);
  if (problem) throw new DomainError('rest_invalid_param', undefined, { params: { username: `username ${problem}` } });
  return login;
}

/** Control characters and the bidi controls that reorder what follows them on screen. */
const HIDDEN = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu;

/**
 * A display name keeps any script and symbol, but loses control and bidi characters, and runs of
 * white space become one space (as WordPress's `sanitize_text_field` does).
 */
export function canonicalDisplayName(value: string): string {
  return canonicalName(value).replace(HIDDEN, ' ').replace(/\s+/gu, ' ').trim();
}
