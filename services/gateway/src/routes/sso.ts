import { ssoCommands as cmd } from '@headlesskey/contracts';
import { Type } from '@sinclair/typebox';
import { tokenOf } from './bearer.js';
import { defineRoute, type RouteGroup } from './route.js';
import { ExchangeBody, exchangeInputOf } from './sso-exchange-request.js';

const ByKey = Type.Object({ key: cmd.SiteKey });
/** Connected sites, for administrators, and the public (signed) exchange of a site's token. */
export const ssoRoutes: RouteGroup = {
  name: 'sso',
  routes: [
    defineRoute({
      method: 'POST',
      summary: "Exchange a connected site's signed token for a local session",
      url: '/sso/exchange',
      idempotent: true,
      rateLimit: 'sso',
      body: ExchangeBody,
      response: cmd.exchange.reply,
      errors: [
        'headlesskey_sso_unknown_site',
        'headlesskey_sso_invalid_signature',
        'headlesskey_sso_replay',
        'headlesskey_invalid_token',
        'headlesskey_token_expired',
        'headlesskey_forbidden',
        'headlesskey_user_exists',
      ],
      handle: async ({ body, request, bus }) => {
        const input = exchangeInputOf(body, request.headers);
        if ('error' in input) return { ok: false, error: input.error };
        const found = tokenOf(body, request);
        if ('error' in found) return { ok: false, error: found.error };
        return bus.send(cmd.exchange, { ...input, token: found.token, context: request.requestContext });
      },
    }),
    defineRoute({
      method: 'GET',
      summary: 'List the connected sites',
      url: '/sso/sites',
      response: cmd.listSites.reply,
      handle: ({ bus }) => bus.send(cmd.listSites, {}),
    }),
    defineRoute({
      method: 'POST',
      summary: 'Connect a site; its shared secret is shown once',
      url: '/sso/sites',
      idempotent: true,
      body: cmd.CreateSsoSiteBody,
      response: cmd.createSite.reply,
      status: 201,
      handle: ({ body, bus }) => bus.send(cmd.createSite, body),
    }),
    defineRoute({
      method: 'GET',
      summary: 'Show a connected site',
      url: '/sso/sites/:key',
      params: ByKey,
      response: cmd.getSite.reply,
      handle: ({ params, bus }) => bus.send(cmd.getSite, { site_key: params.key }),
    }),
    defineRoute({
      method: 'PATCH',
      summary: 'Change a connected site',
      url: '/sso/sites/:key',
      idempotent: true,
      params: ByKey,
      body: cmd.UpdateSsoSiteBody,
      response: cmd.updateSite.reply,
      handle: ({ params, body, bus }) => bus.send(cmd.updateSite, { ...body, site_key: params.key }),
    }),
    defineRoute({
      method: 'DELETE',
      summary: 'Disconnect a site',
      url: '/sso/sites/:key',
      idempotent: true,
      params: ByKey,
      response: cmd.deleteSite.reply,
      handle: ({ params, bus }) => bus.send(cmd.deleteSite, { site_key: params.key }),
    }),
    defineRoute({
      method: 'POST',
      summary: "Replace a site's shared secret; shown once",
      url: '/sso/sites/:key/rotate-secret',
      idempotent: true,
      params: ByKey,
      response: cmd.rotateSiteSecret.reply,
      handle: ({ params, bus }) => bus.send(cmd.rotateSiteSecret, { site_key: params.key }),
    }),
  ],
};
