import type { tokensCommands } from '@headlesskey/contracts';
import type { WritingService } from '@headlesskey/platform';

/** `GET /sessions/stats`: the sessions live now (active, still refreshable), as `GET /sessions` counts them. */
export function sessionStatsHandler(svc: WritingService) {
  return async (): Promise<tokensCommands.SessionStats> => {
    const [row] = await svc.store.db.execute<{ live_sessions: number; users: number }[]>(
      `select count(*)::int as live_sessions, count(distinct user_id)::int as users
       from sessions where status = 'active' and refresh_until > now()`,
    );
    return { live_sessions: row?.live_sessions ?? 0, users: row?.users ?? 0 };
  };
}
