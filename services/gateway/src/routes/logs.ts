import { auditCommands } from '@headlesskey/contracts';
import { defineRoute, type RouteGroup } from './route.js';

/** The activity log, for administrators: filters and the cursor come in the query string. */
export const logRoutes: RouteGroup = {
  name: 'logs',
  routes: [
    defineRoute({
      method: 'GET',
      url: '/logs',
      summary: 'The activity log',
      description:
        'Newest first; filter by `user`, `event`, `ip` (an address or a CIDR), `since` and `until`; page with `per_page` and `cursor`.',
      query: auditCommands.LogsQuery,
      response: auditCommands.queryLogs.reply,
      handle: ({ query, bus }) => bus.send(auditCommands.queryLogs, query),
    }),
  ],
};
