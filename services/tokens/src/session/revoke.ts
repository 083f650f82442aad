import type { tokensCommands } from '@headlesskey/contracts';
import { retryOnConflict, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { TokensConfig } from '../config.js';
import { verifyToken } from '../jwt/verify.js';
import type { Keyring } from '../keys/keyring.js';
import { apply } from './issue.js';
import { tokenRejection } from './rejection.js';

type RevokeCommand = Static<typeof tokensCommands.revoke.request>;

/**
 * Logout: ends the session whose current token this is, keyed on `jti` (never on the token's
 * bytes, which an ECDSA signature lets anyone re-shape). A stale or repeated revoke is still 200.
 */
export function revokeHandler(svc: WritingService, config: TokensConfig, keyring: Keyring) {
  return async ({ token, context }: RevokeCommand) => {
    const verified = await verifyToken(token, keyring, { ...config, allowExpired: true });
    if (!verified.ok) throw tokenRejection(verified);
    const { sid, jti, data } = verified.claims;
    const [known] = await svc.store.db.execute<{ n: number }[]>('select count(*)::int as n from sessions where id = ?', [sid]);
    if (known && known.n > 0) {
      await retryOnConflict(svc.store, (tx) => apply(svc, tx, sid, { type: 'Revoke', presentedJti: jti }, context, data.ID));
    }
    return { message: 'Token revoked successfully.' };
  };
}
