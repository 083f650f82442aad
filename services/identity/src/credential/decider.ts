import { type Decider, type Decision, refuse } from '@headlesskey/platform';
import type { CredentialCommand, CredentialEvent, CredentialState } from './credential.js';

function decide(command: CredentialCommand, state: CredentialState): Decision<CredentialEvent> {
  switch (command.type) {
    case 'RequestReset': {
      // The same request again (its mail is being retried), or one overtaken by a newer request.
      if (state.status === 'pending' && state.pending.requestId === command.requestId) return [];
      if (state.lastRequestedAt !== null && command.requestedAt < state.lastRequestedAt) return [];
      const { userId, requestId, delivery, requestedAt, expiresAt } = command;
      const data = {
        user_id: userId,
        request_id: requestId,
        delivery,
        requested_at: new Date(requestedAt).toISOString(),
        expires_at: new Date(expiresAt).toISOString(),
      };
      return [{ type: 'password.reset.requested', data }];
    }
    case 'ResetPassword': {
      // Used, voided by a newer request or a change, or expired: one answer for all of them.
      const pending = state.status === 'pending' ? state.pending : undefined;
      if (!pending || pending.requestId !== command.requestId || command.at >= pending.expiresAt) {
        return refuse('headlesskey_invalid_reset');
      }
      return [{ type: 'password.reset', data: { user_id: command.userId, request_id: pending.requestId, delivery: pending.delivery } }];
    }
    case 'ChangePassword':
      return [{ type: 'password.changed', data: { user_id: command.userId } }];
    default:
      return assertNever(command);
  }
}

function evolve(state: CredentialState, event: CredentialEvent): CredentialState {
  switch (event.type) {
    case 'password.reset.requested': {
      const requestedAt = Date.parse(event.data.requested_at);
      const pending = {
        requestId: event.data.request_id,
        delivery: event.data.delivery,
        requestedAt,
        expiresAt: Date.parse(event.data.expires_at),
      };
      return { status: 'pending', lastRequestedAt: requestedAt, pending };
    }
    case 'password.reset':
    case 'password.changed':
      // A new password voids whatever reset was pending.
      return { status: 'idle', lastRequestedAt: state.lastRequestedAt };
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
}

/** A user's password over time: reset requests, resets and changes. The hash itself is state, not an event. */
export const credentialDecider: Decider<CredentialCommand, CredentialEvent, CredentialState> = {
  initialState: { status: 'idle', lastRequestedAt: null },
  decide,
  evolve,
  folds: ['password.reset.requested', 'password.reset', 'password.changed'],
};
