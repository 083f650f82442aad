import { identityCommands, PATTERNS, TokenBody, tokensCommands, UserIdParam, UserIdPath } from '@headlesskey/contracts';
import { Type } from '@sinclair/typebox';
import { TOKEN_ERRORS, TokenField, tokenOf } from './bearer.js';
import { defineRoute, type RouteGroup } from './route.js';
import { LOGIN_ERRORS } from './token.js';

const SessionId = Type.Object({ id: Type.String({ pattern: PATTERNS.uuid.pattern }) });
const UserSession = Type.Object({ id: UserIdParam, session_id: Type.String({ pattern: PATTERNS.uuid.pattern }) });

/** `/login`: the `/token` login answered with the plugin's profile body. */
const login = defineRoute({
  method: 'POST',
  url: '/login',
  idempotent: true,
  summary: 'Log in (profile answer)',
  description: "The `/token` login, answered with the plugin's profile body and this device's `device_secret`.",
  body: TokenBody,
  response: Type.Pick(identityCommands.login.reply, ['token', 'expiration', 'expires_in', 'user', 'device_secret']),
  errors: LOGIN_ERRORS,
  handle: ({ body, request, bus }) => bus.send(identityCommands.login, { ...body, context: request.requestContext }),
});

/**
 * A token from the body or the Bearer header, then one tokens command. A revoke takes an expired
 * or already ended session's token too, so only a token that is not one of ours fails it.
 */
const withToken = (url: string, def: typeof tokensCommands.refresh | typeof tokensCommands.revoke, summary: string, description: string) =>
  defineRoute({
    method: 'POST',
    url,
    idempotent: true,
    summary,
    description: `${description} The token comes in the body field \`token\` or as \`Authorization: Bearer <token>\`.`,
    body: TokenField,
    response: def.reply,
    errors: def === tokensCommands.revoke ? ['headlesskey_invalid_token'] : TOKEN_ERRORS,
    handle: async ({ body, request, bus }) => {
      const found = tokenOf(body, request);
      if ('error' in found) return { ok: false, error: found.error };
      return bus.send(def, { token: found.token, context: request.requestContext });
    },
  });

/** Refresh, logout, the caller's profile and devices, and an administrator's view and end of a user's. */
export const sessionRoutes: RouteGroup = {
  name: 'sessions',
  routes: [
    login,
    withToken(
      '/token/refresh',
      tokensCommands.refresh,
      'Refresh a token',
      "Rotates the session's token: the presented one dies. An expired token refreshes while its session's refresh window is open.",
    ),
    withToken('/token/revoke', tokensCommands.revoke, 'Revoke a token (log out)', "Ends the token's session; revoking twice is still 200."),
    defineRoute({
      method: 'GET',
      url: '/me',
      summary: "The caller's user",
      response: identityCommands.getUser.reply,
      handle: ({ caller, bus }) => bus.send(identityCommands.getUser, { user_id: caller!.userId }),
    }),
    defineRoute({
      method: 'GET',
      url: '/sessions',
      summary: "The caller's sessions (devices)",
      response: tokensCommands.listSessions.reply,
      handle: ({ caller, bus }) => bus.send(tokensCommands.listSessions, { user_id: caller!.userId, current_session: caller!.sessionId }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/sessions/:id',
      idempotent: true,
      summary: "End one of the caller's sessions",
      params: SessionId,
      response: tokensCommands.endSession.reply,
      handle: ({ caller, params, request, bus }) =>
        bus.send(tokensCommands.endSession, { user_id: caller!.userId, session_id: params.id, context: request.requestContext }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/users/:id/sessions',
      idempotent: true,
      summary: 'End every session of a user',
      params: UserIdPath,
      response: tokensCommands.endUserSessions.reply,
      handle: ({ params, request, bus }) =>
        bus.send(tokensCommands.endUserSessions, { user_id: Number(params.id), reason: 'admin', context: request.requestContext }),
    }),
    defineRoute({
      method: 'GET',
      url: '/users/:id/sessions',
      summary: "A user's sessions (devices)",
      description: 'As `GET /sessions` shows the caller theirs, most recently seen first; none is `current`.',
      params: UserIdPath,
      response: tokensCommands.listSessions.reply,
      handle: ({ params, bus }) => bus.send(tokensCommands.listSessions, { user_id: Number(params.id) }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/users/:id/sessions/:session_id',
      idempotent: true,
      summary: 'End one session of a user',
      description: "Its tokens fail the next validate (`token.revoked`, reason `admin`); a session that is not this user's is not found.",
      params: UserSession,
      response: tokensCommands.endSession.reply,
      handle: ({ params, request, bus }) =>
        bus.send(tokensCommands.endSession, {
          user_id: Number(params.id),
          session_id: params.session_id,
          reason: 'admin',
          context: request.requestContext,
        }),
    }),
  ],
};
