import { identityCommands, TokenBody, tokensCommands } from '@headlesskey/contracts';
import { Type } from '@sinclair/typebox';
import { TokenField, tokenOf } from './bearer.js';
import { defineRoute, type RouteGroup } from './route.js';

const SessionId = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }) });
const UserId = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }) });

/** `/login`: the `/token` login answered with the plugin's profile body. */
const login = defineRoute({
  method: 'POST',
  url: '/login',
  body: TokenBody,
  response: Type.Pick(identityCommands.login.reply, ['token', 'expiration', 'expires_in', 'user']),
  handle: ({ body, request, bus }) => bus.send(identityCommands.login, { ...body, context: request.requestContext }),
});

/** A token from the body or the Bearer header, then one tokens command. */
const withToken = (url: string, def: typeof tokensCommands.refresh | typeof tokensCommands.revoke) =>
  defineRoute({
    method: 'POST',
    url,
    body: TokenField,
    response: def.reply,
    handle: async ({ body, request, bus }) => {
      const found = tokenOf(body, request);
      if ('error' in found) return { ok: false, error: found.error };
      return bus.send(def, { token: found.token, context: request.requestContext });
    },
  });

/** Refresh, logout, the caller's profile and devices, and an administrator's end-all. */
export const sessionRoutes: RouteGroup = {
  name: 'sessions',
  routes: [
    login,
    withToken('/token/refresh', tokensCommands.refresh),
    withToken('/token/revoke', tokensCommands.revoke),
    defineRoute({
      method: 'GET',
      url: '/me',
      access: 'authenticated',
      response: identityCommands.getUser.reply,
      handle: ({ caller, bus }) => bus.send(identityCommands.getUser, { user_id: caller!.userId }),
    }),
    defineRoute({
      method: 'GET',
      url: '/sessions',
      access: 'authenticated',
      response: tokensCommands.listSessions.reply,
      handle: ({ caller, bus }) => bus.send(tokensCommands.listSessions, { user_id: caller!.userId, current_session: caller!.sessionId }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/sessions/:id',
      access: 'authenticated',
      params: SessionId,
      response: tokensCommands.endSession.reply,
      handle: ({ caller, params, request, bus }) =>
        bus.send(tokensCommands.endSession, { user_id: caller!.userId, session_id: params.id, context: request.requestContext }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/users/:id/sessions',
      access: ['administrator'],
      params: UserId,
      response: tokensCommands.endUserSessions.reply,
      handle: ({ params, request, bus }) =>
        bus.send(tokensCommands.endUserSessions, { user_id: Number(params.id), reason: 'admin', context: request.requestContext }),
    }),
    defineRoute({
      method: 'POST',
      url: '/keys/rotate',
      access: ['administrator'],
      response: tokensCommands.rotateKey.reply,
      handle: ({ request, bus }) => bus.send(tokensCommands.rotateKey, { context: request.requestContext }),
    }),
  ],
};
