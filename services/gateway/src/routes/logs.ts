import { auditCommands } from '@headlesskey/contracts';
import { queryOf } from './query.js';
import { defineRoute, type RouteGroup } from './route.js';

/** The activity log, for administrators: filters and the cursor come in the query string. */
export const logRoutes: RouteGroup = {
  name: 'logs',
  routes: [
    defineRoute({
      method: 'GET',
      url: '/logs',
      access: ['administrator'],
      response: auditCommands.queryLogs.reply,
      handle: async ({ request, bus }) => {
        const found = queryOf(auditCommands.LogsQuery, request);
        if ('error' in found) return { ok: false, error: found.error };
        return bus.send(auditCommands.queryLogs, found.query);
      },
    }),
  ],
};
