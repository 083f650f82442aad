import type { TokenIssued } from '@headlesskey/contracts';
import type { NewEvent } from '@headlesskey/platform';

export type SessionEvent = NewEvent<'token.issued', TokenIssued & { device: string; refresh_until: string }>;

export type SessionState =
  | { status: 'absent' }
  | { status: 'active'; userId: number; currentJti: string; refreshUntil: string; device: string };

/** Opens a session (one device) with its first token. Times and ids arrive on the command. */
export interface OpenSession {
  type: 'Open';
  sessionId: string;
  userId: number;
  jti: string;
  device: string;
  expiresAt: string;
  refreshUntil: string;
}

export type SessionCommand = OpenSession;

/** A session is its own stream: token events never pile up on one per-user stream. */
export const sessionStream = (id: string) => `session-${id}`;
