import { identityCommands, TokenBody, tokensCommands, ValidateReply } from '@headlesskey/contracts';
import { TOKEN_ERRORS, TokenField, tokenOf } from './bearer.js';
import { defineRoute, type RouteGroup } from './route.js';

/** What a login can answer beyond a bad field: `/token` and `/login` alike. */
export const LOGIN_ERRORS = [
  'headlesskey_invalid_credentials',
  'headlesskey_account_locked',
  'headlesskey_ip_blocked',
  'headlesskey_device_limit',
  'headlesskey_forbidden',
  'headlesskey_email_unverified',
] as const;

/** Login for a token, and validation of one. Refresh and revoke belong here too. */
export const tokenRoutes: RouteGroup = {
  name: 'token',
  routes: [
    defineRoute({
      method: 'POST',
      url: '/token',
      idempotent: true,
      summary: 'Log in for a token',
      description:
        "`username` may be the login or the email. Failures count towards the lockouts of the client address, of the account from that address, and of the account from every address; a live `device_secret` from an earlier login on this device passes the last one. The answer carries the `device_secret` for this device's next logins.",
      body: TokenBody,
      response: identityCommands.login.reply,
      errors: LOGIN_ERRORS,
      handle: ({ body, request, bus }) => bus.send(identityCommands.login, { ...body, context: request.requestContext }),
    }),
    defineRoute({
      method: 'POST',
      url: '/token/validate',
      summary: 'Validate a token',
      description:
        'The token comes in the body field `token` or as `Authorization: Bearer <token>`. Valid only while its signature and claims hold and its session and `jti` are live.',
      body: TokenField,
      // The plugin's answer: the claims as signed (the roles held now are the gateway's to use).
      response: ValidateReply,
      errors: TOKEN_ERRORS,
      handle: async ({ body, request, bus }) => {
        const found = tokenOf(body, request);
        if ('error' in found) return { ok: false, error: found.error };
        return bus.send(tokensCommands.validate, { token: found.token, context: request.requestContext });
      },
    }),
  ],
};
