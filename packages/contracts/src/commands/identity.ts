import { type Static, Type } from '@sinclair/typebox';
import {
  ChangePasswordBody,
  ForgotPasswordBody,
  RegisterBody,
  ResendVerificationBody,
  ResetPasswordBody,
  TokenBody,
  VerifyEmailBody,
} from '../http/bodies.js';
import { LoginReply, RegisterReply } from '../http/replies.js';
import { Settings, SettingsPatch } from '../settings.js';
import { PATTERNS, Text, UserId } from '../strings.js';
import { ManagedUser, RequestContext, Role, UserStatus, UserView } from '../user.js';
import { defineCommand, READ_ONLY } from './define.js';

const Context = Type.Object({ context: RequestContext });
const Message = Type.Object({ message: Type.String() });

export const register = defineCommand('identity', 'register', Type.Composite([RegisterBody, Context]), RegisterReply);

/** The administrator who asks, from the gateway's validated token. */
export const Actor = Type.Object({ user_id: UserId, user_login: Text({ maxLength: 254 }) });

/** An operator at a terminal (`npm run admin`), by the name the operating system gives them. */
export const CliActor = Type.Object({ cli: Text({ minLength: 1, maxLength: 128 }) });

/** Who changes a user: an administrator through the API, or an operator through the admin CLI. */
export const ChangeActor = Type.Union([Actor, CliActor]);

/** Checks the password, records the attempt, asks the tokens service for a session, and answers a device secret. */
export const login = defineCommand('identity', 'login', Type.Composite([TokenBody, Context]), LoginReply);

/** The current profile of a user, for `/me` and for refreshed tokens. */
export const getUser = defineCommand('identity', 'getUser', Type.Object({ user_id: UserId }), UserView, READ_ONLY);

/** How many users one `getUsers` may ask for. */
export const GET_USERS_MAX = 256;

/** The current profiles of many users at once; an unknown id is left out of the answer. */
export const getUsers = defineCommand(
  'identity',
  'getUsers',
  Type.Object({ user_ids: Type.Array(UserId, { minItems: 1, maxItems: GET_USERS_MAX }) }),
  Type.Object({ users: Type.Array(UserView) }),
  READ_ONLY,
);

/** Queues a reset mail and answers at once, the same whether or not the login exists. */
export const forgotPassword = defineCommand('identity', 'forgotPassword', Type.Composite([ForgotPasswordBody, Context]), Message);

/** Sets a new password with a mailed key or code, then ends every session of the user. */
export const resetPassword = defineCommand('identity', 'resetPassword', Type.Composite([ResetPasswordBody, Context]), Message);

/** The caller changes their own password; every session of theirs ends before the answer. */
export const changePassword = defineCommand(
  'identity',
  'changePassword',
  Type.Composite([ChangePasswordBody, Type.Object({ user_id: UserId }), Context]),
  Message,
);

/** An administrator lifts a user's lockout; `unlocked` says whether one was in force. */
export const unlockUser = defineCommand(
  'identity',
  'unlockUser',
  Type.Object({ user_id: UserId, context: RequestContext }),
  Type.Object({ unlocked: Type.Boolean() }),
);

/** How an SSO exchange found its local account: an earlier link, the same email, or a new account. */
export const SsoLinkKind = Type.Union([Type.Literal('existing'), Type.Literal('email'), Type.Literal('provisioned')]);
export type SsoLinkKind = Static<typeof SsoLinkKind>;

/**
 * The local account of a remote user, known as (`site_key`, `remote_sub`): the one linked before,
 * else the account with the same email when the site links by email, else a new one when the site
 * may provision. `site_id` tells a site from an earlier one of the same key, whose links are void.
 */
export const resolveSsoAccount = defineCommand(
  'identity',
  'resolveSsoAccount',
  Type.Object({
    site_key: Text({ minLength: 1, maxLength: 64 }),
    site_id: Type.String({ pattern: PATTERNS.uuid.pattern }),
    remote_sub: Text({ minLength: 1, maxLength: 255 }),
    /** The remote token's email, when it carries one and does not say it is unverified. */
    email: Type.Optional(Text({ minLength: 3, maxLength: 254 })),
    /** A login to start from for a new account; made unique here. */
    login: Type.Optional(Text({ minLength: 1, maxLength: 60 })),
    display_name: Type.Optional(Text({ maxLength: 250 })),
    provision: Type.Boolean(),
    link_by_email: Type.Boolean(),
    default_role: Role,
    context: RequestContext,
  }),
  Type.Object({ user: UserView, link: SsoLinkKind }),
);

/** The settings in force: the stored ones over the defaults. */
export const getSettings = defineCommand('identity', 'getSettings', Type.Object({}), Settings, READ_ONLY);

/**
 * An administrator changes settings: all of the patch or none of it. Answers the settings in
 * force afterwards; every service applies them live from the settings bucket.
 */
export const changeSettings = defineCommand(
  'identity',
  'changeSettings',
  Type.Object({ settings: SettingsPatch, actor: Actor, context: RequestContext }),
  Settings,
);

/**
 * `GET /users` query parameters, as the query string carries them. `search` is a prefix of the
 * login, the email or the display name, in any case.
 */
export const UsersQuery = Type.Object({
  search: Type.Optional(Text({ minLength: 1, maxLength: 254 })),
  role: Type.Optional(Role),
  status: Type.Optional(UserStatus),
  /** `next_cursor` of the previous page. */
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: PATTERNS.cursor.pattern })),
  /** Users per page, 1–100 (default 50). */
  per_page: Type.Optional(Type.String({ pattern: PATTERNS.perPage.pattern })),
});
export type UsersQuery = Static<typeof UsersQuery>;

export const UsersPage = Type.Object({
  users: Type.Array(ManagedUser),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

/** The users, newest first, filtered and paged by a cursor over their ids. */
export const listUsers = defineCommand('identity', 'listUsers', UsersQuery, UsersPage, READ_ONLY);

/** One user as an administrator sees it, with whether a lockout holds it now. */
export const ManagedUserDetail = Type.Composite([
  ManagedUser,
  Type.Object({
    /** Until when a lockout (of the account, or of the account from one address) holds, or null. */
    locked_until: Type.Union([Type.String(), Type.Null()]),
  }),
]);
export const getManagedUser = defineCommand('identity', 'getManagedUser', Type.Object({ user_id: UserId }), ManagedUserDetail, READ_ONLY);

/** Roles of a user: at least one, each once. */
export const Roles = Type.Array(Role, { minItems: 1, maxItems: 16, uniqueItems: true });

/**
 * `POST /users`: an account an administrator creates. Without `password`, `send_password_mail`
 * must be true: the user is mailed a link to choose one (the reset mail), and nobody knows the
 * account's password meanwhile.
 */
export const CreateUserBody = Type.Object({
  username: RegisterBody.properties.username,
  email: RegisterBody.properties.email,
  password: Type.Optional(RegisterBody.properties.password),
  name: RegisterBody.properties.name,
  roles: Type.Optional(Roles),
  send_password_mail: Type.Optional(Type.Boolean()),
});
export type CreateUserBody = Static<typeof CreateUserBody>;

export const createUser = defineCommand(
  'identity',
  'createUser',
  Type.Composite([CreateUserBody, Type.Object({ actor: ChangeActor, context: RequestContext })]),
  ManagedUser,
);

/** `PATCH /users/{id}`: what to change; a field left out stays as it is. */
export const UpdateUserBody = Type.Object({
  name: Type.Optional(Text({ minLength: 1, maxLength: 250 })),
  email: Type.Optional(RegisterBody.properties.email),
  roles: Type.Optional(Roles),
  status: Type.Optional(UserStatus),
});
export type UpdateUserBody = Static<typeof UpdateUserBody>;

/**
 * Changes a user in one decision, one event per kind of change, each naming the administrator. The
 * tokens service hears of it before the answer: a demoted user's token loses the role on its next
 * request, and a disabled user's sessions have ended.
 */
export const updateUser = defineCommand(
  'identity',
  'updateUser',
  Type.Composite([UpdateUserBody, Type.Object({ user_id: UserId, actor: ChangeActor, context: RequestContext })]),
  ManagedUser,
);

/** `DELETE /me`: the caller confirms with their password. */
export const DeleteMeBody = Type.Object({ password: RegisterBody.properties.password });

/**
 * Deletes an account and erases its personal data everywhere (README, Erasure): by an
 * administrator or operator (`actor`), or by the user (`password` re-confirmed). The last active
 * administrator cannot be deleted.
 */
export const deleteUser = defineCommand(
  'identity',
  'deleteUser',
  Type.Object({
    user_id: UserId,
    actor: Type.Optional(ChangeActor),
    password: Type.Optional(RegisterBody.properties.password),
    context: RequestContext,
  }),
  Type.Object({ deleted: Type.Literal(true) }),
);

/** Queues a verification mail and answers at once, the same whether or not the login exists. */
export const resendVerification = defineCommand(
  'identity',
  'resendVerification',
  Type.Composite([ResendVerificationBody, Context]),
  Message,
);

/** Marks the user's email verified with a mailed key or code. */
export const verifyEmail = defineCommand('identity', 'verifyEmail', Type.Composite([VerifyEmailBody, Context]), Message);

/** How many users one `importUsers` carries. */
export const IMPORT_BATCH_MAX = 1000;

/**
 * A WordPress user as `wp_users` and `wp_usermeta` hold it. Only text (the contract's rule for
 * every string) and bounded: identity checks each user and refuses a bad one with its reason, and
 * the rest of the batch goes on.
 */
export const WordPressUser = Type.Object({
  user_id: UserId,
  user_login: Text({ maxLength: 1024 }),
  user_email: Text({ maxLength: 1024 }),
  display_name: Text({ maxLength: 1024 }),
  /** Its role names on the site; null when its capabilities could not be read. */
  roles: Type.Union([Type.Array(Text({ maxLength: 256 }), { maxItems: 64 }), Type.Null()]),
  /** `user_pass`, as WordPress stored it. */
  password_hash: Text({ maxLength: 1024 }),
  /** `user_registered` (ISO 8601), or null when WordPress kept none. */
  registered_at: Type.Union([Text({ maxLength: 64 }), Type.Null()]),
});
export type WordPressUser = Static<typeof WordPressUser>;

export const ImportOutcome = Type.Object({
  user_id: UserId,
  outcome: Type.Union([Type.Literal('imported'), Type.Literal('unchanged'), Type.Literal('refused')]),
  /** Why it was refused: `invalid_login`, `duplicate_email`, `unknown_hash`, `id_taken`… */
  reason: Type.Optional(Type.String()),
});
export type ImportOutcome = Static<typeof ImportOutcome>;

/**
 * Brings a batch of WordPress users in under their WordPress IDs (`npm run admin -- import
 * wordpress`; no HTTP route): each recorded as `user.imported` with its hash kept as WordPress
 * made it, or answered unchanged or refused with a reason. `dry_run` decides and writes nothing.
 */
export const importUsers = defineCommand(
  'identity',
  'importUsers',
  Type.Object({
    users: Type.Array(WordPressUser, { minItems: 1, maxItems: IMPORT_BATCH_MAX }),
    dry_run: Type.Boolean(),
    actor: CliActor,
    context: RequestContext,
  }),
  Type.Object({ results: Type.Array(ImportOutcome) }),
);
