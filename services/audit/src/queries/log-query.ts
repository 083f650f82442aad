import { isIP } from 'node:net';
import { type auditCommands, EVENT_TYPES, isUserId, PATTERNS } from '@headlesskey/contracts';
import { type Cursor, decodeCursor } from '@headlesskey/platform';

/** What `GET /logs` asks for, checked and typed. */
export interface LogFilter {
  userId?: number;
  login?: string;
  types?: string[];
  /** An address or a CIDR block, as PostgreSQL's `inet` reads it. */
  ip?: string;
  since?: string;
  until?: string;
  after?: Cursor;
  limit: number;
}

export type ParsedQuery = { filter: LogFilter } | { invalid: Record<string, string> };

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 100;
const DATE_TIME = new RegExp(PATTERNS.dateTime.pattern);

/** Reads the query parameters; every bad one is named with its reason, as WordPress does. */
export function parseLogQuery(query: auditCommands.LogsQuery): ParsedQuery {
  const invalid: Record<string, string> = {};
  const filter: LogFilter = { limit: DEFAULT_PER_PAGE };
  if (query.user !== undefined) {
    const user = query.user.trim();
    if (isUserId(user)) filter.userId = Number(user);
    else if (user !== '') filter.login = user;
    else invalid.user = 'user must be a user id or a login.';
  }
  if (query.event !== undefined) {
    const types = query.event.split(',');
    const unknown = types.filter((type) => !(type in EVENT_TYPES));
    if (unknown.length > 0) invalid.event = `event must be one or more of ${Object.keys(EVENT_TYPES).join(', ')}.`;
    else filter.types = [...new Set(types)];
  }
  if (query.ip !== undefined) {
    const ip = ipFilter(query.ip);
    if (ip) filter.ip = ip;
    else invalid.ip = 'ip must be an IP address or a CIDR block.';
  }
  for (const name of ['since', 'until'] as const) {
    const value = query[name];
    if (value === undefined) continue;
    const at = dateTime(value);
    if (at) filter[name] = at;
    else invalid[name] = `${name} ${PATTERNS.dateTime.rule}`;
  }
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    if (after) filter.after = after;
    else invalid.cursor = 'cursor must be the next_cursor of an earlier page.';
  }
  if (query.per_page !== undefined) {
    const n = Number(query.per_page);
    if (Number.isInteger(n) && n >= 1 && n <= MAX_PER_PAGE) filter.limit = n;
    else invalid.per_page = `per_page must be between 1 (inclusive) and ${MAX_PER_PAGE} (inclusive).`;
  }
  return Object.keys(invalid).length > 0 ? { invalid } : { filter };
}

function ipFilter(text: string): string | undefined {
  const [address = '', bits, ...rest] = text.split('/');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip);
  if (family === 0 || rest.length > 0) return undefined;
  if (bits === undefined) return ip.toLowerCase();
  const prefix = Number(bits);
  if (!/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128)) return undefined;
  return `${ip.toLowerCase()}/${prefix}`;
}

/** A date alone means its midnight UTC. Impossible dates (February 30th) are refused, not rolled over. */
function dateTime(text: string): string | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00'] = m;
  if (Number(month) < 1 || Number(month) > 12 || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(day) < 1 || Number(day) > daysInMonth) return undefined;
  const ms = Date.parse(m[4] === undefined ? `${text}T00:00:00Z` : text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
