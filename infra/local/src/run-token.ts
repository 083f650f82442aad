import { randomBytes } from 'node:crypto';

/** Names this run's processes; not a secret, only unguessable enough to tell runs apart. */
export const RUN_TOKEN_ENV = 'HEADLESSKEY_RUN_TOKEN';
export const RUN_TOKEN_HEADER = 'x-headlesskey-run';

export function newRunToken(): string {
  return randomBytes(12).toString('hex');
}
