import { randomUUID } from 'node:crypto';
import { identityCommands, type TokenReply, type tokensCommands } from '@headlesskey/contracts';
import { DomainError, retryOnConflict, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { TokensConfig } from '../config.js';
import { verifyToken } from '../jwt/verify.js';
import type { Keyring } from '../keys/keyring.js';
import { answerToken } from './answer.js';
import { hookClaims } from './hook-claims.js';
import { apply } from './issue.js';
import { tokenRejection } from './rejection.js';

type RefreshCommand = Static<typeof tokensCommands.refresh.request>;

/**
 * Rotates the session's token. The user is read fresh from identity, so a changed role shows in
 * the new token. Reuse of a rotated token is committed (the session ends, the event is raised)
 * before the refusal is answered.
 */
export function refreshHandler(svc: WritingService, config: TokensConfig, keyring: Keyring) {
  return async ({ token, context }: RefreshCommand): Promise<TokenReply> => {
    const verified = await verifyToken(token, keyring, { ...config, allowExpired: true });
    if (!verified.ok) throw tokenRejection(verified);
    const { sid, jti, data } = verified.claims;
    const found = await svc.client.send(identityCommands.getUser, { user_id: data.ID });
    if (!found.ok) throw new DomainError(found.error.code === 'headlesskey_not_found' ? 'headlesskey_token_revoked' : found.error.code);
    const extra = await hookClaims(svc, 'refresh', found.data, context);
    const settings = svc.settings.current();
    const now = Math.floor(Date.now() / 1000);
    const next = { jti: randomUUID(), issuedAt: now, expiresAt: now + settings.token_ttl };
    const outcome = await retryOnConflict(svc.store, async (em) => {
      const command = { type: 'Refresh', presentedJti: jti, token: next, now, grace: settings.refresh_grace } as const;
      return apply(svc, em, sid, command, context, data.ID);
    });
    if (outcome.status !== 'active') {
      throw new DomainError('headlesskey_token_revoked', 'Token reuse detected; the session has been ended.', {
        reason: 'token reuse detected',
      });
    }
    return { ...(await answerToken(keyring, config, settings, found.data, outcome, now, extra)), user: found.data };
  };
}
