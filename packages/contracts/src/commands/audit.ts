import { type Static, Type } from '@sinclair/typebox';
import { PATTERNS, Text } from '../strings.js';
import { defineCommand, READ_ONLY } from './define.js';

/**
 * `GET /logs` query parameters, as the query string carries them (strings). Their shape is checked
 * here; what they mean (a real date, an IP or CIDR, a known event type, a cursor this service
 * issued) is checked by the audit service, which answers `rest_invalid_param` naming the field.
 */
export const LogsQuery = Type.Object({
  /** A user id (digits) or a login. */
  user: Type.Optional(Text({ minLength: 1, maxLength: 254 })),
  /** One event type, or several separated by commas. */
  event: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, pattern: PATTERNS.eventTypes.pattern })),
  /** An IP address or a CIDR block. */
  ip: Type.Optional(Type.String({ minLength: 2, maxLength: 64, pattern: PATTERNS.ipOrCidr.pattern })),
  /** RFC 3339 date-times, both inclusive. */
  since: Type.Optional(Type.String({ pattern: PATTERNS.dateTime.pattern })),
  until: Type.Optional(Type.String({ pattern: PATTERNS.dateTime.pattern })),
  /** `next_cursor` of the previous page. */
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: PATTERNS.cursor.pattern })),
  /** Entries per page, 1–100 (default 50). */
  per_page: Type.Optional(Type.String({ pattern: PATTERNS.perPage.pattern })),
});
export type LogsQuery = Static<typeof LogsQuery>;

const NullableString = Type.Union([Type.String(), Type.Null()]);

/** The device a User-Agent names, as the audit service parses it. */
export const DeviceView = Type.Object({
  browser: NullableString,
  os: NullableString,
  /** `desktop`, `mobile`, `tablet`, `console`, `smarttv`, `wearable`, `embedded`, or `unknown`. */
  type: Type.String(),
});

/** One activity-log entry: one domain event. `data` never holds a credential. */
export const ActivityEntryView = Type.Object({
  id: Type.String(),
  occurred_at: Type.String(),
  event: Type.String(),
  user_id: Type.Union([Type.Integer(), Type.Null()]),
  user_login: NullableString,
  ip: NullableString,
  user_agent: NullableString,
  device: DeviceView,
  outcome: Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('info')]),
  trace_id: NullableString,
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type ActivityEntryView = Static<typeof ActivityEntryView>;

export const LogsPage = Type.Object({
  entries: Type.Array(ActivityEntryView),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
export type LogsPage = Static<typeof LogsPage>;

/** The activity log, newest first, filtered and paged by a cursor over (occurred_at, event id). */
export const queryLogs = defineCommand('audit', 'queryLogs', LogsQuery, LogsPage, READ_ONLY);

/** The ranges `GET /logs/stats` counts over, each as the hours it spans. */
export const STATS_RANGES = Object.freeze({ '24h': 24, '7d': 168 });
export type StatsRange = keyof typeof STATS_RANGES;

/** `GET /logs/stats` query parameters: the range, the last 24 hours unless `7d`. */
export const LogStatsQuery = Type.Object({
  range: Type.Optional(Type.Union([Type.Literal('24h'), Type.Literal('7d')])),
});
export type LogStatsQuery = Static<typeof LogStatsQuery>;

const Count = Type.Integer({ minimum: 0 });
/** Sign-in events of one hour (or of the whole range): logins, account lockouts, IP blocks. */
export const SignInCounts = Type.Object({ succeeded: Count, failed: Count, lockouts: Count, ip_blocks: Count });
export type SignInCounts = Static<typeof SignInCounts>;

export const SignInHour = Type.Composite([Type.Object({ hour: Type.String() }), SignInCounts]);
export type SignInHour = Static<typeof SignInHour>;

export const LogStats = Type.Object({
  range: Type.Union([Type.Literal('24h'), Type.Literal('7d')]),
  /** Every hour of the range, oldest first, zero-filled; `hour` is its start (UTC). The last is the current hour. */
  hours: Type.Array(SignInHour),
  totals: SignInCounts,
});
export type LogStats = Static<typeof LogStats>;

/** Sign-in events per hour over the last 24 hours or 7 days, counted from the activity log. */
export const logStats = defineCommand('audit', 'logStats', LogStatsQuery, LogStats, READ_ONLY);
