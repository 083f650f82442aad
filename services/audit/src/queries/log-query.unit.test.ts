import { encodeCursor } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { parseLogQuery } from './log-query.js';

const filterOf = (query: Parameters<typeof parseLogQuery>[0]) => {
  const parsed = parseLogQuery(query);
  if ('invalid' in parsed) throw new Error(JSON.stringify(parsed.invalid));
  return parsed.filter;
};
const invalidOf = (query: Parameters<typeof parseLogQuery>[0]) => {
  const parsed = parseLogQuery(query);
  return 'invalid' in parsed ? parsed.invalid : {};
};

describe('parseLogQuery', () => {
  it('pages 50 entries with no filter by default', () => {
    expect(filterOf({})).toEqual({ limit: 50 });
  });

  it('reads a user as an id when it is digits, else as a login', () => {
    expect(filterOf({ user: '42' })).toMatchObject({ userId: 42 });
    expect(filterOf({ user: 'ada' })).toMatchObject({ login: 'ada' });
    expect(filterOf({ user: '99999999999' })).toMatchObject({ login: '99999999999' });
    expect(invalidOf({ user: '  ' })).toHaveProperty('user');
  });

  it('takes known event types, one or several', () => {
    expect(filterOf({ event: 'auth.login.failed,token.issued,auth.login.failed' }).types).toEqual(['auth.login.failed', 'token.issued']);
    expect(invalidOf({ event: 'auth.login.failed,auth.nope' })).toHaveProperty('event');
  });

  it('takes an address or a CIDR block', () => {
    expect(filterOf({ ip: '203.0.113.9' }).ip).toBe('203.0.113.9');
    expect(filterOf({ ip: '::ffff:127.0.0.1' }).ip).toBe('127.0.0.1');
    expect(filterOf({ ip: '2001:DB8::/32' }).ip).toBe('2001:db8::/32');
    expect(filterOf({ ip: '10.0.0.0/8' }).ip).toBe('10.0.0.0/8');
    for (const ip of ['10.0.0.0/33', '999.0.0.1', '1.2.3', '::1/129', '10.0.0.0/8/8']) expect(invalidOf({ ip })).toHaveProperty('ip');
  });

  it('takes RFC 3339 times and dates, and refuses impossible ones', () => {
    expect(filterOf({ since: '2026-01-31T12:00:00+01:00', until: '2026-02-01' })).toMatchObject({
      since: '2026-01-31T11:00:00.000Z',
      until: '2026-02-01T00:00:00.000Z',
    });
    for (const since of ['2026-02-30', 'yesterday', '2026-01-01T25:00:00Z', '2026-01-01T10:00', '1700000000']) {
      expect(invalidOf({ since })).toHaveProperty('since');
    }
  });

  it('takes a cursor only when it was issued here', () => {
    const cursor = { at: '2026-01-01T00:00:00.000000Z', id: '0190c6a0-0000-7000-8000-000000000001' };
    expect(filterOf({ cursor: encodeCursor(cursor) }).after).toEqual(cursor);
    expect(invalidOf({ cursor: 'abc' })).toHaveProperty('cursor');
  });

  it('bounds the page size', () => {
    expect(filterOf({ per_page: '100' }).limit).toBe(100);
    expect(invalidOf({ per_page: '0' })).toHaveProperty('per_page');
    expect(invalidOf({ per_page: '101' })).toHaveProperty('per_page');
  });

  it('names every bad parameter at once', () => {
    expect(Object.keys(invalidOf({ ip: 'x', since: 'y', per_page: '500' })).sort()).toEqual(['ip', 'per_page', 'since']);
  });
});
