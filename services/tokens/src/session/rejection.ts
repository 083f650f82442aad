import { DomainError } from '@headlesskey/platform';
import type { Rejection } from '../jwt/verify.js';

/** The contract's error for a token that failed verification. */
export function tokenRejection(r: Rejection): DomainError {
  if (r.expired) return new DomainError('headlesskey_token_expired', undefined, { reason: r.reason });
  return new DomainError('headlesskey_invalid_token', undefined, { reason: r.reason });
}
