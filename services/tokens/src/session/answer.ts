import type { IssuedToken, Settings, UserView } from '@headlesskey/contracts';
import type { TokensConfig } from '../config.js';
import { signToken } from '../jwt/sign.js';
import type { Keyring } from '../keys/keyring.js';
import type { SessionFacts } from './session.js';

/** `2023-10-27T10:00:00+00:00`: the plugin's expiration format. */
export const wordpressTime = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');

/**
 * Signs the session's current token. Signing the same claims again gives the same child to a
 * racing tab (byte for byte with HS256 when a claims hook answers the same; the same jti with the others).
 */
export async function answerToken(
  keyring: Keyring,
  config: TokensConfig,
  settings: Settings,
  user: UserView,
  session: SessionFacts,
  /** The epoch second the command was decided at: a fresh token's `expires_in` is the whole TTL. */
  now: number,
  /** Claims of the `token.claims` hook. */
  extra: Record<string, unknown> = {},
): Promise<IssuedToken> {
  const { jti, issuedAt, expiresAt } = session.current;
  const key = await keyring.signingKey(settings.algorithm);
  const token = await signToken(key, {
    user,
    sessionId: session.sessionId,
    jti,
    issuedAt,
    expiresAt,
    issuer: config.issuer,
    audience: config.audience,
    extra,
  });
  return {
    token,
    expiration: wordpressTime(expiresAt),
    expires_in: Math.max(0, expiresAt - now),
    refreshable: session.refreshUntil > now,
    jti,
  };
}
