import { type ErrorCode, type Role, usernameProblem } from '@headlesskey/contracts';

/** What the local side knows when a remote user has no link yet. */
export interface Unlinked {
  /** The remote token's email, when usable. */
  email?: string;
  /** The account whose email that is, if any. */
  emailOwner?: { id: number; roles: readonly Role[]; linkedToSite: boolean; hasPassword: boolean };
  /** Whether the email's key is reserved at all (as an email, or as someone's login). */
  emailTaken: boolean;
  provision: boolean;
  linkByEmail: boolean;
}

export type AccountPlan = { kind: 'link'; userId: number } | { kind: 'provision' } | { kind: 'refuse'; code: ErrorCode; message: string };

/**
 * The first exchange of a remote user: link the account with the same email only when the site
 * links by email, else a new account only when the site may provision and nothing local is taken.
 * Never linked: an administrator, an account that already stands for another user of the site,
 * and an account with a password someone chose. Nobody has verified that an account's email is
 * its owner's, so whoever registered the address first, with a password they know, would get the
 * remote user's sessions too; only an account provisioned by an exchange has no such owner.
 */
export function planAccount(u: Unlinked): AccountPlan {
  const owner = u.emailOwner;
  if (u.linkByEmail && owner && !owner.roles.includes('administrator') && !owner.linkedToSite && !owner.hasPassword) {
    return { kind: 'link', userId: owner.id };
  }
  if (!u.provision) {
    return {
      kind: 'refuse',
      code: 'headlesskey_forbidden',
      message: 'No local account is linked to this user, and the site may not create one.',
    };
  }
  if (u.email && u.emailTaken) {
    return {
      kind: 'refuse',
      code: 'headlesskey_user_exists',
      message: 'An account with this email exists here, and the site may not link to it.',
    };
  }
  return { kind: 'provision' };
}

const MAX_LOGIN = 60;

/**
 * Logins to try, in order, for a provisioned account: the remote login, then the same with the
 * site's key, then with a random `suffix` too. Characters a login does not need become `_`. A
 * remote login whose logins would not be usernames here (letters of two scripts, the site's key
 * included) gives way to one made of the site and the sub, as a token that names none does.
 */
export function loginCandidates(remoteLogin: string | undefined, siteKey: string, remoteSub: string, suffix: string): string[] {
  const options = [clean(remoteLogin ?? ''), clean(`${siteKey}_${remoteSub}`)].filter((base) => base !== '');
  const all = options.map((base) => {
    const withTail = (tail: string) => `${base.slice(0, MAX_LOGIN - Math.min(tail.length, 40))}${tail.slice(-40)}`;
    return [base.slice(0, MAX_LOGIN), withTail(`.${siteKey}`), withTail(`.${siteKey}.${suffix}`)];
  });
  return all.find((logins) => logins.every((login) => usernameProblem(login) === undefined)) ?? [siteKey, `${siteKey}.${suffix}`];
}

function clean(value: string): string {
  return value
    .normalize('NFKC')
    .trim()
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^[._-]+|[._-]+$/g, '');
}
