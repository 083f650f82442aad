import { auditCommands, identityCommands, tokensCommands } from '@headlesskey/contracts';
import type { CommandClient, Reply } from '@headlesskey/platform';
import { type Static, Type } from '@sinclair/typebox';
import { defineRoute, type RouteGroup } from './route.js';

/** Pages of the caller's activity an export reads, 100 entries each: ten thousand entries at most. */
const MAX_PAGES = 100;

const AccountExport = Type.Object({
  exported_at: Type.String(),
  user: identityCommands.getManagedUser.reply,
  sessions: tokensCommands.listSessions.reply.properties.sessions,
  /** Newest first; within the activity log's retention. */
  activity: Type.Array(auditCommands.ActivityEntryView),
});
type AccountExport = Static<typeof AccountExport>;
type Entry = Static<typeof auditCommands.ActivityEntryView>;

/** `GET /me/export`: what the service holds about the caller, as one JSON document (right of access, portability). */
export const exportRoutes: RouteGroup = {
  name: 'export',
  routes: [
    defineRoute({
      method: 'GET',
      url: '/me/export',
      summary: "Export the caller's data",
      description:
        "The caller's profile, roles and status, their sessions, and their own entries of the activity log, as one JSON document.",
      response: AccountExport,
      handle: async ({ caller, bus }) => {
        const userId = caller!.userId;
        const [user, sessions, activity] = await Promise.all([
          bus.send(identityCommands.getManagedUser, { user_id: userId }),
          bus.send(tokensCommands.listSessions, { user_id: userId, current_session: caller!.sessionId }),
          activityOf(bus, userId),
        ]);
        if (!user.ok) return user;
        if (!sessions.ok) return sessions;
        if (!activity.ok) return activity;
        const document: AccountExport = {
          exported_at: new Date().toISOString(),
          user: user.data,
          sessions: sessions.data.sessions,
          activity: activity.data,
        };
        return { ok: true, data: document };
      },
    }),
  ],
};

/** Every activity-log entry of the user, page after page. */
async function activityOf(bus: CommandClient, userId: number): Promise<Reply<Entry[]>> {
  const entries: Entry[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const reply = await bus.send(auditCommands.queryLogs, { user: String(userId), per_page: '100', ...(cursor ? { cursor } : {}) });
    if (!reply.ok) return reply;
    entries.push(...reply.data.entries);
    if (reply.data.next_cursor === null) break;
    cursor = reply.data.next_cursor;
  }
  return { ok: true, data: entries };
}
