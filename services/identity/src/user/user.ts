import type {
  ChangedBy,
  Role,
  UserDeleted,
  UserDisabled,
  UserEmailVerified,
  UserEnabled,
  UserImported,
  UserRegistered,
  UserRolesChanged,
  UserStatus,
  UserUpdated,
} from '@headlesskey/contracts';
import type { NewEvent } from '@headlesskey/platform';

export type UserEvent =
  | NewEvent<'user.registered', UserRegistered>
  | NewEvent<'user.updated', UserUpdated>
  | NewEvent<'user.roles_changed', UserRolesChanged>
  | NewEvent<'user.disabled', UserDisabled>
  | NewEvent<'user.enabled', UserEnabled>
  | NewEvent<'user.deleted', UserDeleted>
  | NewEvent<'user.email_verified', UserEmailVerified>
  | NewEvent<'user.imported', UserImported>;

export type UserState =
  | { status: 'absent' }
  /** Deleted: its id is never used again, and nothing more happens to it. */
  | { status: 'deleted'; id: number }
  | {
      status: 'registered';
      id: number;
      login: string;
      email: string;
      displayName: string;
      roles: Role[];
      /** Whether the user may sign in. */
      standing: UserStatus;
      /** Whether the user proved their current address theirs. */
      emailVerified: boolean;
      /** The stream's version: how many events made this state. */
      version: number;
    };

export interface Register {
  type: 'Register';
  id: number;
  login: string;
  email: string;
  displayName: string;
  roles: Role[];
  /** The connected site an SSO exchange provisioned the account for. */
  ssoSite?: string;
  /** The administrator who created the account; absent when the user registered. */
  by?: ChangedBy;
}

/** An administrator's change: the fields given are what the user should be; the rest stays. */
export interface Administer {
  type: 'Administer';
  email?: string;
  displayName?: string;
  roles?: Role[];
  standing?: UserStatus;
  by: ChangedBy;
}

/** The account goes; `by` is absent when the user deletes their own. */
export interface Delete {
  type: 'Delete';
  by?: ChangedBy;
}

/** The user presented the key or code mailed to their current address. */
export interface VerifyEmail {
  type: 'VerifyEmail';
}

/**
 * A WordPress user brought over under their WordPress ID (see import/decision.ts). `conflict` is
 * what the store knew before deciding: another account already holds the login or the email.
 */
export interface Import {
  type: 'Import';
  id: number;
  login: string;
  email: string;
  displayName: string;
  roles: Role[];
  /** When they registered at WordPress (ISO 8601). */
  registeredAt: string;
  conflict?: 'duplicate_login' | 'duplicate_email';
  by: ChangedBy;
}

export type UserCommand = Register | Administer | Delete | VerifyEmail | Import;

export const userStream = (id: number) => `user-${id}`;
