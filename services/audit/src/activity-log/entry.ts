import { isIP } from 'node:net';
import type { EventEnvelope } from '@headlesskey/contracts';
import { deviceOf } from '@headlesskey/platform';
import { redact } from './redact.js';

/** One activity-log row, as the projector derives it from an event: a pure mapping. */
export interface ActivityEntry {
  eventId: string;
  occurredAt: string;
  type: string;
  userId: number | null;
  /** Only when the event names it; the query fills it in from the users the log has seen. */
  login: string | null;
  ip: string | null;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  deviceType: string;
  outcome: 'success' | 'failure' | 'info';
  traceId: string | null;
  data: Record<string, unknown>;
}

/** An event the log can never hold: it is dead-lettered, never retried. */
export class InvalidEvent extends Error {
  override readonly name = 'InvalidEvent';
}

const FAILURES = new Set(['auth.login.failed', 'auth.account.locked', 'auth.ip.blocked', 'token.reuse_detected', 'sso.rejected']);
const INFO = new Set(['settings.changed', 'password.reset.requested', 'session.evicted', 'token.revoked']);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const MAX_USER_ID = 2_147_483_647;
const MAX_LOGIN = 254;
const MAX_USER_AGENT = 1024;

export function toActivityEntry(event: EventEnvelope): ActivityEntry {
  const data = event.data;
  const device = deviceOf(event.meta.userAgent);
  return {
    eventId: event.id,
    occurredAt: occurredAtOf(event.occurredAt),
    type: event.type,
    userId: userIdOf(data.user_id),
    login: typeof data.user_login === 'string' ? data.user_login.slice(0, MAX_LOGIN) : null,
    ip: normalizeIp(event.meta.ip),
    userAgent: event.meta.userAgent ? event.meta.userAgent.slice(0, MAX_USER_AGENT) : null,
    browser: device.browser,
    os: device.os,
    deviceType: device.type,
    outcome: FAILURES.has(event.type) ? 'failure' : INFO.has(event.type) ? 'info' : 'success',
    traceId: traceIdOf(event.meta.traceparent),
    data: redact(data) as Record<string, unknown>,
  };
}

/** True when an entry is already past retention: the purge would drop it, so it is never written. */
export function isExpired(occurredAt: string, nowMs: number, retentionDays: number): boolean {
  return Date.parse(occurredAt) < nowMs - retentionDays * 86_400_000;
}

/** An IP as one canonical text (`::ffff:10.0.0.1` is `10.0.0.1`), or null when it is not one. */
export function normalizeIp(ip: string | undefined): string | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)?.[1];
  const candidate = mapped ?? ip;
  return isIP(candidate) ? candidate.toLowerCase() : null;
}

function occurredAtOf(value: string): string {
  const ms = Date.parse(value);
  if (!RFC3339.test(value) || !Number.isFinite(ms)) throw new InvalidEvent('occurredAt is not an RFC 3339 date-time');
  return new Date(ms).toISOString();
}

function userIdOf(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_USER_ID) {
    throw new InvalidEvent('data.user_id is not a user id');
  }
  return value as number;
}

/** `00-<trace id>-<span id>-<flags>` → the trace id. */
function traceIdOf(traceparent: string | undefined): string | null {
  const id = traceparent?.split('-')[1];
  return id && /^[0-9a-f]{32}$/.test(id) ? id : null;
}
