import type { tokensCommands } from '@headlesskey/contracts';
import { DomainError, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { replacedKeyOverlap } from './handlers.js';
import { readImportedPem } from './imported-pem.js';
import { type KeyRow, keyList } from './key-list.js';
import type { Keyring } from './keyring.js';

type ImportCommand = Static<typeof tokensCommands.importKey.request>;

/** Every signing key, its source and state, and the algorithm new tokens are signed with. */
export function listKeysHandler(svc: WritingService, keyring: Keyring) {
  return async () => {
    const rows = await svc.store.db.execute<KeyRow[]>(
      `select kid, alg, origin, staged,
              extract(epoch from created_at)::float8 as created_at,
              extract(epoch from retired_at)::float8 as retired_at,
              extract(epoch from verify_until)::float8 as verify_until
         from signing_keys order by created_at desc, kid`,
    );
    return { algorithm: svc.settings.current().algorithm, keys: keyList(keyring.environmentKeys(), rows, Date.now() / 1000) };
  };
}

/**
 * Keeps an administrator's PEM key as generated keys are kept. An activated key replaces the live
 * one as a rotation does, with the same overlap. The PEM goes no further than this function.
 */
export function importKeyHandler(svc: WritingService, keyring: Keyring) {
  return async ({ algorithm, private_key, activate }: ImportCommand) => {
    const read = readImportedPem(algorithm, private_key);
    if (!read.ok) throw new DomainError('rest_invalid_param', undefined, { params: { private_key: read.reason } });
    const settings = svc.settings.current();
    const stored = { kid: read.kid, alg: algorithm, stored: read.stored };
    const { retired, state } = await keyring.import(stored, activate, replacedKeyOverlap(settings));
    return { kid: read.kid, alg: algorithm, state, retired };
  };
}
