import { type identityCommands, PATTERNS, type Role, usernameProblem } from '@headlesskey/contracts';
import { WORDPRESS_MARKER, wordPressScheme } from '../../credential/passwords/wordpress.js';
import { canonicalDisplayName, canonicalEmail, canonicalName } from '../canonical.js';

type WordPressUser = identityCommands.WordPressUser;

/** Why a WordPress user cannot come over as they are (besides what the store knows: see decision.ts). */
export type InvalidReason = 'invalid_login' | 'invalid_email' | 'invalid_role' | 'unreadable_roles' | 'unknown_hash';

/** A WordPress user in our canonical forms, ready to be decided on. */
export interface Candidate {
  id: number;
  login: string;
  email: string;
  displayName: string;
  roles: Role[];
  /** The WordPress hash with our marker: verified as WordPress would until the first login replaces it. */
  passwordHash: string;
  registeredAt: string;
}

/** WordPress's `user_login` is 60 characters, `display_name` 250: as they are here. */
const MAX_LOGIN = 60;
const MAX_DISPLAY_NAME = 250;
const EMAIL = new RegExp(PATTERNS.email.pattern);
const ROLE = new RegExp(PATTERNS.role.pattern);

/**
 * Checks one WordPress user and puts them in canonical form, or says why not. The login is held to
 * the rule of a new login here (no invisible characters, one script); an empty email is kept (the
 * account reserves its login only), a malformed one is not. `now` stands in for a missing date.
 */
export function candidateOf(user: WordPressUser, now: string): Candidate | { reason: InvalidReason } {
  const login = canonicalName(user.user_login);
  if (login === '' || [...login].length > MAX_LOGIN || usernameProblem(login)) return { reason: 'invalid_login' };
  const email = canonicalEmail(user.user_email);
  if (email !== '' && (email.length > 254 || !EMAIL.test(email))) return { reason: 'invalid_email' };
  if (user.roles === null) return { reason: 'unreadable_roles' };
  if (!user.roles.every((role) => ROLE.test(role))) return { reason: 'invalid_role' };
  if (wordPressScheme(user.password_hash) === undefined) return { reason: 'unknown_hash' };
  const registered = user.registered_at === null ? Number.NaN : Date.parse(user.registered_at);
  return {
    id: user.user_id,
    login,
    email,
    displayName: [...(canonicalDisplayName(user.display_name) || login)].slice(0, MAX_DISPLAY_NAME).join(''),
    roles: [...new Set(user.roles)],
    passwordHash: `${WORDPRESS_MARKER}${user.password_hash}`,
    registeredAt: Number.isFinite(registered) ? new Date(registered).toISOString() : now,
  };
}
