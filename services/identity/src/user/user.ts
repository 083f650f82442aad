import type { Role, UserRegistered } from '@headlesskey/contracts';
import type { NewEvent } from '@headlesskey/platform';

export type UserEvent = NewEvent<'user.registered', UserRegistered>;

export type UserState =
  | { status: 'absent' }
  | { status: 'active'; id: number; login: string; email: string; displayName: string; roles: Role[] };

export interface Register {
  type: 'Register';
  id: number;
  login: string;
  email: string;
  displayName: string;
  roles: Role[];
  /** The connected site an SSO exchange provisioned the account for. */
  ssoSite?: string;
}

export type UserCommand = Register;

export const userStream = (id: number) => `user-${id}`;
