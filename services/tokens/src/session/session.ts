import type { SessionEvicted, TokenIssued, TokenRefreshed, TokenReuseDetected, TokenRevoked } from '@headlesskey/contracts';
import type { NewEvent } from '@headlesskey/platform';

export type SessionEvent =
  | NewEvent<'token.issued', TokenIssued>
  | NewEvent<'token.refreshed', TokenRefreshed>
  | NewEvent<'token.revoked', TokenRevoked>
  | NewEvent<'token.reuse_detected', TokenReuseDetected>
  | NewEvent<'session.evicted', SessionEvicted>;

/** The one live token of a session. */
export interface LiveToken {
  jti: string;
  issuedAt: number;
  expiresAt: number;
}

export interface SessionFacts {
  sessionId: string;
  userId: number;
  /** Shown in the session list; see `deviceNamed`. */
  device: string;
  /** The client named the device, so its next login from it takes this session back. */
  deviceNamed: boolean;
  refreshUntil: number;
  current: LiveToken;
  /** The token the current one replaced, and when: presenting it again within the grace answers the current one. */
  parent?: { jti: string; rotatedAt: number };
}

export type SessionState = { status: 'absent' } | ({ status: 'active' } & SessionFacts) | ({ status: 'ended' } & SessionFacts);

/** Times are epoch seconds and ids are drawn by the caller: the decider stays pure. */
export type SessionCommand =
  | { type: 'Open'; sessionId: string; userId: number; device: string; deviceNamed: boolean; token: LiveToken; refreshUntil: number }
  | { type: 'Reopen'; token: LiveToken; refreshUntil: number }
  | { type: 'Refresh'; presentedJti: string; token: LiveToken; now: number; grace: number }
  | { type: 'Revoke'; presentedJti: string }
  | { type: 'End'; reason: TokenRevoked['reason'] }
  | { type: 'Evict' };

/** A session is its own stream: token events never pile up on one per-user stream. */
export const sessionStream = (id: string) => `session-${id}`;
