import { type Decider, type Decision, refuse } from '@headlesskey/platform';
import type { SessionCommand, SessionEvent, SessionState } from './session.js';

function decide(command: SessionCommand, state: SessionState): Decision<SessionEvent> {
  switch (command.type) {
    case 'Open':
      if (state.status !== 'absent') return refuse('headlesskey_internal_error', 'session id already in use');
      return [
        {
          type: 'token.issued',
          data: {
            user_id: command.userId,
            session_id: command.sessionId,
            jti: command.jti,
            expires_at: command.expiresAt,
            device: command.device,
            refresh_until: command.refreshUntil,
          },
        },
      ];
    default:
      return assertNever(command.type);
  }
}

function evolve(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'token.issued':
      return {
        status: 'active',
        userId: event.data.user_id,
        currentJti: event.data.jti,
        refreshUntil: event.data.refresh_until,
        device: event.data.device,
      };
    default:
      return assertNever(event.type);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled case ${String(value)}`);
}

/** The session aggregate: one device's chain of tokens. */
export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState> = {
  initialState: { status: 'absent' },
  decide,
  evolve,
};
