import { describe, expect, it } from 'vitest';
import { logPageSql } from './log-sql.js';

describe('logPageSql', () => {
  it('reads newest first with one row more than the page', () => {
    const { sql, params } = logPageSql({ limit: 10 });
    expect(sql).toContain('order by l.occurred_at desc, l.event_id desc');
    expect(sql).not.toContain('where');
    expect(params).toEqual([11]);
  });

  it('binds every filter as a parameter, in the order of its placeholders', () => {
    const { sql, params } = logPageSql({
      userId: 7,
      types: ['auth.login.failed'],
      ip: '10.0.0.0/8',
      since: '2026-01-01T00:00:00.000Z',
      until: '2026-02-01T00:00:00.000Z',
      after: { at: '2026-01-15T00:00:00.000000Z', id: '0190c6a0-0000-7000-8000-000000000001' },
      limit: 50,
    });
    expect(sql.match(/\?/g)).toHaveLength(params.length);
    expect(params).toEqual([
      7,
      '["auth.login.failed"]',
      '10.0.0.0/8',
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
      '2026-01-15T00:00:00.000000Z',
      '0190c6a0-0000-7000-8000-000000000001',
      51,
    ]);
    expect(sql).toContain('(l.occurred_at, l.event_id) < (?::timestamptz, ?::uuid)');
  });

  it('finds a login through the users the log has seen, case-insensitively', () => {
    const { sql, params } = logPageSql({ login: "Ada' or 1=1 --", limit: 5 });
    expect(sql).toContain('lower(login) = lower(?)');
    expect(params[0]).toBe("Ada' or 1=1 --");
  });
});
