import type { tokensCommands, ValidateReply } from '@headlesskey/contracts';
import { DomainError, type Logger, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { TokensConfig } from '../config.js';
import { verifyToken } from '../jwt/verify.js';
import type { Keyring } from '../keys/keyring.js';
import { tokenRejection } from './rejection.js';

type ValidateCommand = Static<typeof tokensCommands.validate.request>;

/** Last-seen is written at most this often per session, so validate stays a read. */
const LAST_SEEN_EVERY_S = 60;

/**
 * A token is valid only while its signature and claims hold AND its session is live with this
 * `jti` as the current one: a revoke, a refresh or an ended session shows on the next call, on
 * every replica, because the session row is read on each call.
 */
export function validateHandler(svc: WritingService, config: TokensConfig, keyring: Keyring, logger: Logger) {
  return async ({ token }: ValidateCommand): Promise<ValidateReply> => {
    const verified = await verifyToken(token, keyring, config);
    if (!verified.ok) throw tokenRejection(verified);
    const claims = verified.claims;
    const { rows } = await svc.reads.query<{ status: string; current_jti: string; idle: number }>({
      name: 'session-liveness',
      text: 'select status, current_jti, extract(epoch from now() - last_seen_at)::int as idle from sessions where id = $1',
      values: [claims.sid],
    });
    const session = rows[0];
    if (session?.status !== 'active' || session.current_jti !== claims.jti) {
      throw new DomainError('headlesskey_token_revoked', 'Token has been revoked.', { reason: 'session ended or token rotated' });
    }
    if (session.idle >= LAST_SEEN_EVERY_S) {
      svc.reads
        .query('update sessions set last_seen_at = now() where id = $1', [claims.sid])
        .catch((err: unknown) => logger.warn({ err }, 'last-seen update failed'));
    }
    return { valid: true, data: claims };
  };
}
