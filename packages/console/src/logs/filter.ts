/**
 * The log's filter as the URL's query string carries it, so that a filtered view can be linked
 * and survives a reload. Values are kept as typed: the API checks them and names what is wrong.
 */
export interface LogFilter {
  user: string;
  /** Event types; none is every type. */
  event: string[];
  /** An address or a CIDR block. */
  ip: string;
  /** RFC 3339, as the API takes them. */
  since: string;
  until: string;
  per_page: string;
}

export const PAGE_SIZES = ['10', '25', '50', '100'] as const;
export const DEFAULT_PAGE_SIZE = '50';
/** The fields of the filter form, in its order: the API names a refused one by this name. */
export const FILTER_FIELDS = ['user', 'event', 'ip', 'since', 'until', 'per_page'] as const;

export function filterOf(search: string): LogFilter {
  const params = new URLSearchParams(search);
  const text = (name: string) => params.get(name)?.trim() ?? '';
  return {
    user: text('user'),
    event: text('event').split(',').filter(Boolean),
    ip: text('ip'),
    since: text('since'),
    until: text('until'),
    per_page: text('per_page') || DEFAULT_PAGE_SIZE,
  };
}

/** The query string of a filter: only what is set, in a stable order. */
export function searchOf(filter: LogFilter): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(apiQuery(filter))) {
    if (value !== undefined && !(name === 'per_page' && value === DEFAULT_PAGE_SIZE)) params.set(name, value);
  }
  return params.toString();
}

/** The filter as `GET /logs` takes it. */
export function apiQuery(filter: LogFilter): Record<string, string | undefined> {
  const set = (value: string) => value.trim() || undefined;
  return {
    user: set(filter.user),
    event: set(filter.event.join(',')),
    ip: set(filter.ip),
    since: set(filter.since),
    until: set(filter.until),
    per_page: set(filter.per_page),
  };
}

/*
 * The time fields are `datetime-local` inputs read as UTC, as the table shows times: an operator
 * compares them with server logs, and a link means the same instant everywhere.
 */

/** `2026-01-31T12:00:00Z` → `2026-01-31T12:00:00` for the input; '' when the API's value is not one it can show. */
export function toInput(rfc3339: string): string {
  const ms = Date.parse(rfc3339);
  return rfc3339 && Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 19) : '';
}

/** The input's value → RFC 3339 in UTC (seconds are optional in the input). */
export function fromInput(local: string): string {
  if (!local) return '';
  return `${local.length === 16 ? `${local}:00` : local}Z`;
}

/** `2026-01-31 12:00:05`: an entry's time in UTC, to the second. */
export function utcText(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}
