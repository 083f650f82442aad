import { DomainError } from '@headlesskey/platform';

/** One answer for a bad, used or expired key or code, and for an unknown login (docs/api.md, `POST /reset-password`). */
export function invalidReset(): DomainError {
  return new DomainError('headlesskey_invalid_reset');
}
