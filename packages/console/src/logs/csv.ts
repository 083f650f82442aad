import { type LogEntry, newestFirst } from './entry.js';

/**
 * CSV as RFC 4180 writes it (every field quoted, quotes doubled, CRLF line ends), safe to open
 * in a spreadsheet: a field that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
 * would be read as a formula there, so it gets a leading `'` (OWASP's CSV injection advice).
 */
export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((row) => row.map(field).join(',')).join('\r\n') + (rows.length > 0 ? '\r\n' : '');
}

const FORMULA = /^[=+\-@\t\r]/;

export function field(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return `"${(FORMULA.test(text) ? `'${text}` : text).replaceAll('"', '""')}"`;
}

/** The columns of an exported log: everything an entry carries, `data` as JSON. */
export const LOG_COLUMNS = [
  'id',
  'occurred_at',
  'event',
  'outcome',
  'user_id',
  'user_login',
  'ip',
  'browser',
  'os',
  'device_type',
  'user_agent',
  'trace_id',
  'data',
] as const;

export function logCsv(entries: readonly LogEntry[]): string {
  const rows = [...entries]
    .sort(newestFirst)
    .map((e) => [
      e.id,
      e.occurred_at,
      e.event,
      e.outcome,
      e.user_id,
      e.user_login,
      e.ip,
      e.device.browser,
      e.device.os,
      e.device.type,
      e.user_agent,
      e.trace_id,
      JSON.stringify(e.data),
    ]);
  return toCsv([LOG_COLUMNS, ...rows]);
}
