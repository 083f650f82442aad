import { DomainError, type SettingsReader } from '@headlesskey/platform';
import { passwordProblem } from './policy.js';

/** Whose password it is: a password equal to either is refused. */
export interface PasswordOwner {
  username: string;
  email: string;
}

/** The one password policy of register, reset and change, with the live minimum length. */
export interface PasswordPolicy {
  /** Throws `headlesskey_weak_password` with the broken rule's message. */
  assertAcceptable(password: string, owner: PasswordOwner): void;
}

export function passwordPolicy(settings: SettingsReader, siteName: string, common: ReadonlySet<string>): PasswordPolicy {
  return {
    assertAcceptable(password, owner) {
      const minLength = settings.current().password_min_length;
      const problem = passwordProblem(password, { minLength, siteName, common, ...owner });
      if (problem) throw new DomainError('headlesskey_weak_password', problem);
    },
  };
}
