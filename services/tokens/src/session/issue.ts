import { randomUUID } from 'node:crypto';
import type { IssuedToken, tokensCommands } from '@headlesskey/contracts';
import { handleCommand, metaFrom, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { TokensConfig } from '../config.js';
import { signToken } from '../jwt/sign.js';
import type { Keyring } from '../keys/keyring.js';
import { sessionDecider } from './decider.js';
import { sessionStream } from './session.js';

type IssueCommand = Static<typeof tokensCommands.issue.request>;

/** `2023-10-27T10:00:00+00:00`: the plugin's expiration format. */
export const wordpressTime = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** Opens a session for a user the identity service authenticated, and signs its first token. */
export function issueHandler(svc: WritingService, config: TokensConfig, keyring: Keyring) {
  return async ({ user, context }: IssueCommand): Promise<IssuedToken> => {
    const settings = svc.settings.current();
    const now = Math.floor(Date.now() / 1000);
    const exp = now + settings.token_ttl;
    const refreshUntil = now + settings.refresh_ttl;
    const sessionId = randomUUID();
    const jti = randomUUID();
    const device = context.device ?? context.userAgent ?? 'unknown';
    await handleCommand({
      store: svc.store,
      scope: svc.scope,
      streamId: sessionStream(sessionId),
      decider: sessionDecider,
      command: {
        type: 'Open',
        sessionId,
        userId: user.ID,
        jti,
        device,
        expiresAt: new Date(exp * 1000).toISOString(),
        refreshUntil: new Date(refreshUntil * 1000).toISOString(),
      },
      meta: metaFrom(context, user.ID),
      project: (em) =>
        em
          .execute(
            `insert into sessions (id, user_id, device, ip, user_agent, created_at, last_seen_at, refresh_until, current_jti, status)
           values (?, ?, ?, ?, ?, to_timestamp(?), to_timestamp(?), to_timestamp(?), ?, 'active')`,
            [sessionId, user.ID, device, context.ip, context.userAgent, now, now, refreshUntil, jti],
          )
          .then(() => undefined),
    });
    const token = await signToken(keyring.signing, {
      user,
      sessionId,
      jti,
      issuedAt: now,
      expiresAt: exp,
      issuer: config.issuer,
      audience: config.audience,
    });
    return { token, expiration: wordpressTime(exp), expires_in: settings.token_ttl, refreshable: refreshUntil > now, jti };
  };
}
