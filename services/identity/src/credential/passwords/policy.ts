import { blocklistForm } from './blocklist.js';

/** What a password is checked against besides its length. */
export interface PolicyContext {
  minLength: number;
  username: string;
  email: string;
  siteName: string;
  /** Common and breached passwords, in `blocklistForm`. */
  common?: ReadonlySet<string>;
}

export const MAX_PASSWORD_LENGTH = 1024;

export const COMMON_PASSWORD_MESSAGE = 'Password is too common: it appears in lists of commonly used or breached passwords.';

/**
 * NIST SP 800-63B-4 rules: length in code points after NFKC, no composition rules, not a common
 * or breached password, and not the account's own name, email or the site's name. Returns the
 * broken rule's message, or undefined when the password is acceptable.
 */
export function passwordProblem(password: string, ctx: PolicyContext): string | undefined {
  const normalised = password.normalize('NFKC');
  const length = [...normalised].length;
  if (length < ctx.minLength) return `Password must be at least ${ctx.minLength} characters long.`;
  if (length > MAX_PASSWORD_LENGTH) return `Password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  if (ctx.common?.has(blocklistForm(normalised))) return COMMON_PASSWORD_MESSAGE;
  const lower = normalised.toLowerCase();
  const forbidden: [string, string][] = [
    [ctx.username, 'Password must not be the same as the username.'],
    [ctx.email, 'Password must not be the same as the email address.'],
    [ctx.siteName, "Password must not be the site's name."],
  ];
  for (const [value, message] of forbidden) {
    if (value && lower === value.normalize('NFKC').trim().toLowerCase()) return message;
  }
  return undefined;
}
