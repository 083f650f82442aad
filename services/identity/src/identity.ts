import type { WritingService } from '@headlesskey/platform';
import type { IdentityConfig } from './config.js';
import type { PasswordWork } from './credential/passwords/admission.js';
import type { PasswordPolicy } from './credential/passwords/enforce.js';

/** What every identity handler works with, assembled once at start by `main.ts`. */
export interface Identity {
  svc: WritingService;
  config: IdentityConfig;
  policy: PasswordPolicy;
  /** A hash an unknown user's password is checked against, so both cost one bcrypt. */
  decoyHash: string;
  /** Keys the digests of reset keys and codes. */
  pepper: Buffer;
  /** Every bcrypt goes through it: at most a few at once, none for a caller already gone. */
  passwordWork: PasswordWork;
}
