import type { EventEnvelope } from '@headlesskey/contracts';

/** One activity-log row, as the projector derives it from an event: a pure mapping. */
export interface ActivityEntry {
  eventId: string;
  occurredAt: string;
  type: string;
  userId: number | null;
  login: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: 'success' | 'failure' | 'info';
  traceId: string | null;
  data: Record<string, unknown>;
}

const FAILURES = new Set(['auth.login.failed', 'auth.account.locked', 'auth.ip.blocked', 'token.reuse_detected', 'sso.rejected']);
const INFO = new Set(['settings.changed', 'password.reset.requested', 'session.evicted', 'token.revoked']);

export function toActivityEntry(event: EventEnvelope): ActivityEntry {
  const data = event.data;
  return {
    eventId: event.id,
    occurredAt: event.occurredAt,
    type: event.type,
    userId: typeof data.user_id === 'number' ? data.user_id : null,
    login: typeof data.user_login === 'string' ? data.user_login : null,
    ip: event.meta.ip ?? null,
    userAgent: event.meta.userAgent ?? null,
    outcome: FAILURES.has(event.type) ? 'failure' : INFO.has(event.type) ? 'info' : 'success',
    traceId: traceIdOf(event.meta.traceparent),
    data,
  };
}

/** `00-<trace id>-<span id>-<flags>` → the trace id. */
function traceIdOf(traceparent: string | undefined): string | null {
  const id = traceparent?.split('-')[1];
  return id && /^[0-9a-f]{32}$/.test(id) ? id : null;
}
