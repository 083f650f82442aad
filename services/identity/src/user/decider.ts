import type { Role } from '@headlesskey/contracts';
import { type Decider, type Decision, refuse } from '@headlesskey/platform';
import { importDecision } from './import/decision.js';
import type { Administer, UserCommand, UserEvent, UserState } from './user.js';

type RegisteredUser = Extract<UserState, { status: 'registered' }>;

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
            ...(command.by ? { by: command.by } : {}),
          },
        },
      ];
    case 'Administer':
      if (state.status !== 'registered') return refuse('headlesskey_not_found', 'No such user.');
      return administer(command, state);
    case 'VerifyEmail':
      if (state.status !== 'registered') return refuse('headlesskey_invalid_verification');
      return state.emailVerified ? [] : [{ type: 'user.email_verified', data: { user_id: state.id } }];
    case 'Import':
      return importDecision(command, state);
    case 'Delete':
      if (state.status !== 'registered') return refuse('headlesskey_not_found', 'No such user.');
      return [{ type: 'user.deleted', data: { user_id: state.id, ...(command.by ? { by: command.by } : {}) } }];
    default:
      return assertNever(command);
  }
}

/** One event per kind of change, in a fixed order; a field given as it already is changes nothing. */
function administer(command: Administer, user: RegisteredUser): UserEvent[] {
  const { by } = command;
  const events: UserEvent[] = [];
  const email = command.email !== undefined && command.email !== user.email ? command.email : undefined;
  const displayName = command.displayName !== undefined && command.displayName !== user.displayName ? command.displayName : undefined;
  if (email !== undefined || displayName !== undefined) {
    events.push({
      type: 'user.updated',
      data: {
        user_id: user.id,
        ...(email !== undefined ? { user_email: email } : {}),
        ...(displayName !== undefined ? { display_name: displayName } : {}),
        by,
      },
    });
  }
  if (command.roles && !sameRoles(command.roles, user.roles)) {
    events.push({ type: 'user.roles_changed', data: { user_id: user.id, roles: command.roles, previous_roles: user.roles, by } });
  }
  if (command.standing && command.standing !== user.standing) {
    events.push({ type: command.standing === 'disabled' ? 'user.disabled' : 'user.enabled', data: { user_id: user.id, by } });
  }
  return events;
}

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((role) => b.includes(role));

function evolve(state: UserState, event: UserEvent): UserState {
  // An imported user is a registered one from then on.
  if (event.type === 'user.registered' || event.type === 'user.imported') {
    return {
      status: 'registered',
      id: event.data.user_id,
      login: event.data.user_login,
      email: event.data.user_email,
      displayName: event.data.display_name,
      roles: event.data.roles as Role[],
      standing: 'active',
      emailVerified: false,
      version: 1,
    };
  }
  if (state.status !== 'registered') return state;
  if (event.type === 'user.deleted') return { status: 'deleted', id: state.id };
  const version = state.version + 1;
  switch (event.type) {
    case 'user.updated':
      return {
        ...state,
        version,
        email: event.data.user_email ?? state.email,
        displayName: event.data.display_name ?? state.displayName,
        // A new address is not proven by the old one's proof.
        emailVerified: event.data.user_email === undefined ? state.emailVerified : false,
      };
    case 'user.roles_changed':
      return { ...state, version, roles: event.data.roles as Role[] };
    case 'user.disabled':
      return { ...state, version, standing: 'disabled' };
    case 'user.enabled':
      return { ...state, version, standing: 'active' };
    case 'user.email_verified':
      return { ...state, version, emailVerified: true };
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
}

/**
 * The user aggregate: who a user is, what roles they hold and whether they may sign in.
 * Credentials and sign-in attempts live elsewhere.
 */
export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  initialState: { status: 'absent' },
  decide,
  evolve,
};
