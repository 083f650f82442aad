import type { ResetDelivery } from '@headlesskey/contracts';
import type { NewEvent } from '@headlesskey/platform';
import type { WordPressScheme } from './passwords/wordpress.js';

/** `password.reset.requested`: a key or code went out. Never the key, the code or a digest of them. */
export interface PasswordResetRequested {
  user_id: number;
  request_id: string;
  delivery: ResetDelivery;
  requested_at: string;
  expires_at: string;
}
/** `password.reset`: a mailed key or code set a new password. */
export interface PasswordReset {
  user_id: number;
  request_id: string;
  delivery: ResetDelivery;
}
/** `password.changed`: the user changed it, knowing the current one. */
export interface PasswordChanged {
  user_id: number;
}

/**
 * `password.rehashed`: a login proved a hash imported from WordPress, which was replaced by ours
 * of the same password. Which scheme it was, never the hash. No reset or session depends on it,
 * so the credential decider does not fold it.
 */
export interface PasswordRehashed {
  user_id: number;
  from: WordPressScheme;
}

export type CredentialEvent =
  | NewEvent<'password.reset.requested', PasswordResetRequested>
  | NewEvent<'password.reset', PasswordReset>
  | NewEvent<'password.changed', PasswordChanged>;

export interface PendingReset {
  requestId: string;
  delivery: ResetDelivery;
  requestedAt: number;
  expiresAt: number;
}

/** At most one reset is pending: a newer request voids the older one. */
export type CredentialState =
  | { status: 'idle'; lastRequestedAt: number | null }
  | { status: 'pending'; lastRequestedAt: number; pending: PendingReset };

export interface RequestReset {
  type: 'RequestReset';
  userId: number;
  requestId: string;
  delivery: ResetDelivery;
  /** When the user asked (epoch ms), which orders requests handled out of order. */
  requestedAt: number;
  expiresAt: number;
}
export interface ResetPassword {
  type: 'ResetPassword';
  userId: number;
  requestId: string;
  at: number;
}
export interface ChangePassword {
  type: 'ChangePassword';
  userId: number;
  at: number;
}
export type CredentialCommand = RequestReset | ResetPassword | ChangePassword;

/** Credential events live apart from `user-<id>`, whose decider knows only the registration. */
export const credentialStream = (userId: number) => `credential-${userId}`;
