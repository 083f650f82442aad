import { auditCommands, tokensCommands, webhooksCommands } from '@headlesskey/contracts';
import { defineRoute, type RouteGroup } from './route.js';

/**
 * The figures of the console's overview, for administrators: each counted by the service that
 * owns its data, in one query there, never by reading the rows out.
 */
export const statsRoutes: RouteGroup = {
  name: 'stats',
  routes: [
    defineRoute({
      method: 'GET',
      url: '/logs/stats',
      summary: 'Sign-in events per hour',
      description:
        'Logins succeeded and failed, account lockouts and IP blocks in each hour of the last 24 hours (`range=24h`, the default) or 7 days (`range=7d`), from the activity log.',
      query: auditCommands.LogStatsQuery,
      response: auditCommands.logStats.reply,
      handle: ({ query, bus }) => bus.send(auditCommands.logStats, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/sessions/stats',
      summary: 'Live sessions',
      description: 'How many sessions of all users are live now, and of how many users.',
      response: tokensCommands.sessionStats.reply,
      handle: ({ bus }) => bus.send(tokensCommands.sessionStats, {}),
    }),
    defineRoute({
      method: 'GET',
      url: '/webhooks/stats',
      summary: 'Webhook delivery health',
      description: 'The endpoints whose latest attempt failed or that were disabled, and the deliveries waiting or given up on.',
      response: webhooksCommands.webhookStats.reply,
      handle: ({ bus }) => bus.send(webhooksCommands.webhookStats, {}),
    }),
  ],
};
