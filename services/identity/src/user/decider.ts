import type { Role } from '@headlesskey/contracts';
import { type Decider, type Decision, refuse } from '@headlesskey/platform';
import type { UserCommand, UserEvent, UserState } from './user.js';

function decide(command: UserCommand, state: UserState): Decision<UserEvent> {
  switch (command.type) {
    case 'Register':
      if (state.status !== 'absent') return refuse('headlesskey_user_exists');
      return [
        {
          type: 'user.registered',
          data: {
            user_id: command.id,
            user_login: command.login,
            user_email: command.email,
            display_name: command.displayName,
            roles: command.roles,
            ...(command.ssoSite ? { sso_site: command.ssoSite } : {}),
          },
        },
      ];
    default:
      return assertNever(command.type);
  }
}

function evolve(_state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'user.registered':
      return {
        status: 'active',
        id: event.data.user_id,
        login: event.data.user_login,
        email: event.data.user_email,
        displayName: event.data.display_name,
        roles: event.data.roles as Role[],
      };
    default:
      return assertNever(event.type);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled case ${String(value)}`);
}

/** The user aggregate: who a user is. Credentials and sign-in attempts live elsewhere. */
export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  initialState: { status: 'absent' },
  decide,
  evolve,
};
