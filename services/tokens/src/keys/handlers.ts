import type { tokensCommands } from '@headlesskey/contracts';
import type { WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { Keyring } from './keyring.js';

type RotateCommand = Static<typeof tokensCommands.rotateKey.request>;

export function jwksHandler(keyring: Keyring) {
  return async () => ({ keys: keyring.publicKeys() as Static<typeof tokensCommands.jwks.reply>['keys'] });
}

/** How long a replaced key verifies: as long as a token it signed can live or be refreshed. */
export const replacedKeyOverlap = (settings: { token_ttl: number; refresh_ttl: number }) =>
  Math.max(settings.token_ttl, settings.refresh_ttl);

/** Rotates the key of the algorithm in force; the retired key verifies for `replacedKeyOverlap`. */
export function rotateKeyHandler(svc: WritingService, keyring: Keyring) {
  return async (_: RotateCommand) => {
    const settings = svc.settings.current();
    const { kid, retired } = await keyring.rotate(settings.algorithm, replacedKeyOverlap(settings));
    return { kid, alg: settings.algorithm, retired };
  };
}
