import type { Claims, tokensCommands } from '@headlesskey/contracts';
import { DomainError, type Logger, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { TokensConfig } from '../config.js';
import { verifyToken } from '../jwt/verify.js';
import type { Keyring } from '../keys/keyring.js';
import { tokenRejection } from './rejection.js';

type ValidateCommand = Static<typeof tokensCommands.validate.request>;
type ValidateManyCommand = Static<typeof tokensCommands.validateMany.request>;
type Outcome = Static<typeof tokensCommands.ValidateOutcome>;
type Validated = Static<typeof tokensCommands.Validated>;

/** Last-seen is written at most this often per session, so validate stays a read. */
const LAST_SEEN_EVERY_S = 60;

const REVOKED = new DomainError('headlesskey_token_revoked', undefined, { reason: 'session ended or token rotated' });

interface Liveness {
  id: string;
  status: string;
  current_jti: string;
  idle: number;
  /** The user's roles now, as identity last told this service; null before it did. */
  roles: string[] | null;
}

/**
 * A token is valid only while its signature and claims hold AND its session is live with this
 * `jti` as the current one: a revoke, a refresh or an ended session shows on the next call, on
 * every replica, because the session rows are read on each call — once for all the tokens of a
 * call, which is what makes a batch cheaper than its tokens one by one.
 */
export function validateTokens(svc: WritingService, config: TokensConfig, keyring: Keyring, logger: Logger) {
  return async (tokens: readonly string[]): Promise<Outcome[]> => {
    const verified = await Promise.all(tokens.map((token) => verifyToken(token, keyring, config)));
    const sids = [...new Set(verified.flatMap((v) => (v.ok ? [v.claims.sid] : [])))];
    const sessions = new Map<string, Liveness>();
    if (sids.length > 0) {
      const { rows } = await svc.store.db.pool.query<Liveness>({
        name: 'sessions-liveness',
        text: `select s.id, s.status, s.current_jti, extract(epoch from now() - s.last_seen_at)::int as idle, u.profile->'roles' as roles
               from sessions s left join users u on u.id = s.user_id where s.id = any($1::uuid[])`,
        values: [sids],
      });
      for (const row of rows) sessions.set(row.id, row);
    }
    const seen: string[] = [];
    const outcomes = verified.map((v): Outcome => {
      if (!v.ok) return { ok: false, error: tokenRejection(v).toBody() };
      const session = sessions.get(v.claims.sid);
      if (!isCurrent(session, v.claims)) return { ok: false, error: REVOKED.toBody() };
      if (session.idle >= LAST_SEEN_EVERY_S) seen.push(session.id);
      return { ok: true, data: { valid: true, data: v.claims, roles: heldRoles(v.claims.data.roles, session.roles) } };
    });
    if (seen.length > 0) {
      svc.store.db.pool
        .query('update sessions set last_seen_at = now() where id = any($1::uuid[])', [[...new Set(seen)]])
        .catch((err: unknown) => logger.warn({ err }, 'last-seen update failed'));
    }
    return outcomes;
  };
}

/**
 * The roles a token's caller holds now: those of the token the user still has. A role taken away
 * counts at once; a role given comes with the next token, which carries it.
 */
function heldRoles(claimed: readonly string[], current: readonly string[] | null): string[] {
  return current === null ? [...claimed] : claimed.filter((role) => current.includes(role));
}

function isCurrent(session: Liveness | undefined, claims: Claims): session is Liveness {
  return session?.status === 'active' && session.current_jti === claims.jti;
}

/** `validate`: one token, its refusal answered as the command's error. */
export function validateHandler(validate: ReturnType<typeof validateTokens>) {
  return async ({ token }: ValidateCommand): Promise<Validated> => {
    const [outcome] = await validate([token]);
    if (!outcome?.ok) throw outcome ? new DomainError(outcome.error.code, outcome.error.message, outcome.error.details) : REVOKED;
    return outcome.data;
  };
}

/** `validateMany`: each token's answer in its place, refusals included. */
export function validateManyHandler(validate: ReturnType<typeof validateTokens>) {
  return async ({ tokens }: ValidateManyCommand) => ({ results: await validate(tokens) });
}
