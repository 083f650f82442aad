import { describe, expect, it } from 'vitest';
import { totalsOf } from './log-stats.js';
import { COUNTED, signInStatsSql } from './stats-sql.js';

describe('signInStatsSql', () => {
  it('spans 24 hours or 7 days of hours, the current one last', () => {
    expect(signInStatsSql('24h').params).toEqual([24]);
    expect(signInStatsSql('7d').params).toEqual([168]);
    const { sql } = signInStatsSql('24h');
    expect(sql.match(/\?/g)).toHaveLength(1);
    expect(sql).toContain("date_trunc('hour', now() at time zone 'UTC') - (?::int - 1) * interval '1 hour'");
  });

  it('keeps every hour of the range, counting zero where the log has nothing', () => {
    const { sql } = signInStatsSql('7d');
    expect(sql).toContain('from hours h left join counts c on c.hour = h.hour');
    for (const name of Object.keys(COUNTED)) expect(sql).toContain(`coalesce(c.${name}, 0) as ${name}`);
  });

  it('reads only the sign-in events it counts', () => {
    const { sql } = signInStatsSql('24h');
    expect(sql).toContain("where type in ('auth.login.succeeded', 'auth.login.failed', 'auth.account.locked', 'auth.ip.blocked')");
  });
});

describe('totalsOf', () => {
  it('sums each count over the hours', () => {
    const hour = (succeeded: number, failed: number, lockouts: number, ip_blocks: number) => ({ succeeded, failed, lockouts, ip_blocks });
    expect(totalsOf([hour(1, 2, 0, 0), hour(0, 0, 0, 0), hour(3, 5, 1, 1)])).toEqual(hour(4, 7, 1, 1));
    expect(totalsOf([])).toEqual(hour(0, 0, 0, 0));
  });
});
