import type { tokensCommands } from '@headlesskey/contracts';
import type { WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { Keyring } from './keyring.js';

type RotateCommand = Static<typeof tokensCommands.rotateKey.request>;

export function jwksHandler(keyring: Keyring) {
  return async () => ({ keys: keyring.publicKeys() as Static<typeof tokensCommands.jwks.reply>['keys'] });
}

/**
 * Rotates the key of the algorithm in force. The retired key verifies for as long as a token it
 * signed can live or be refreshed: the longer of `token_ttl` and `refresh_ttl`.
 */
export function rotateKeyHandler(svc: WritingService, keyring: Keyring) {
  return async (_: RotateCommand) => {
    const settings = svc.settings.current();
    const overlap = Math.max(settings.token_ttl, settings.refresh_ttl);
    const { kid, retired } = await keyring.rotate(settings.algorithm, overlap);
    return { kid, alg: settings.algorithm, retired };
  };
}
