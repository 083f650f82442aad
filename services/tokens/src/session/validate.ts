import { Claims, type tokensCommands, type ValidateReply } from '@headlesskey/contracts';
import { checker, DomainError, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { TokensConfig } from '../config.js';
import { verifyToken } from '../jwt/verify.js';
import type { Keyring } from '../keys/keyring.js';

type ValidateCommand = Static<typeof tokensCommands.validate.request>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A token is valid only while its signature and claims hold AND its session is live with this
 * `jti` as the current one: a revoke, a refresh or an ended session shows on the next call.
 */
export function validateHandler(svc: WritingService, config: TokensConfig, keyring: Keyring) {
  const invalid = (reason: string) => new DomainError('headlesskey_invalid_token', 'Invalid token.', { reason });
  return async ({ token }: ValidateCommand): Promise<ValidateReply> => {
    const verified = await verifyToken(token, keyring, config);
    if (!verified.ok) {
      if (verified.expired) throw new DomainError('headlesskey_token_expired', 'Token has expired.', { reason: verified.reason });
      throw invalid(verified.reason);
    }
    const claims = verified.claims;
    if (!checker(Claims).Check(claims) || !UUID.test(claims.sid) || !UUID.test(claims.jti)) throw invalid('claims out of shape');
    const session = await svc.store.em
      .getConnection()
      .execute<{ status?: string; current_jti?: string }>('select status, current_jti from sessions where id = ?', [claims.sid], 'get');
    if (session?.status !== 'active' || session.current_jti !== claims.jti) {
      throw new DomainError('headlesskey_token_revoked', 'Token has been revoked.', { reason: 'session ended or token rotated' });
    }
    return { valid: true, data: claims };
  };
}
