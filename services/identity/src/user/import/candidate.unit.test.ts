import { describe, expect, it } from 'vitest';
import { candidateOf } from './candidate.js';

const NOW = '2030-01-01T00:00:00.000Z';
const PHPASS = '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0';
const row = {
  user_id: 7,
  user_login: 'ada',
  user_email: 'Ada@Example.com',
  display_name: 'Ada  Lovelace',
  roles: ['administrator', 'editor', 'administrator'],
  password_hash: PHPASS,
  registered_at: '2015-03-01T10:00:00Z',
};

describe('a WordPress user checked for import', () => {
  it('comes in canonical form, its hash marked as WordPress', () => {
    expect(candidateOf(row, NOW)).toEqual({
      id: 7,
      login: 'ada',
      email: 'ada@example.com',
      displayName: 'Ada Lovelace',
      roles: ['administrator', 'editor'],
      passwordHash: `wp:${PHPASS}`,
      registeredAt: '2015-03-01T10:00:00.000Z',
    });
  });

  it('keeps logins with spaces and of one script, an empty email, no roles, and takes the login for an empty name', () => {
    expect(candidateOf({ ...row, user_login: ' ada lovelace ' }, NOW)).toMatchObject({ login: 'ada lovelace' });
    expect(candidateOf({ ...row, user_login: '山田taro' }, NOW)).toMatchObject({ login: '山田taro' });
    expect(candidateOf({ ...row, user_email: '' }, NOW)).toMatchObject({ email: '' });
    expect(candidateOf({ ...row, roles: [] }, NOW)).toMatchObject({ roles: [] });
    expect(candidateOf({ ...row, display_name: ' \u202e ' }, NOW)).toMatchObject({ displayName: 'ada' });
  });

  it('stands in the import time for a date WordPress kept none of', () => {
    expect(candidateOf({ ...row, registered_at: null }, NOW)).toMatchObject({ registeredAt: NOW });
    expect(candidateOf({ ...row, registered_at: 'not a date' }, NOW)).toMatchObject({ registeredAt: NOW });
  });

  it('refuses each bad field with its reason', () => {
    const reasons = [
      [{ user_login: '   ' }, 'invalid_login'],
      [{ user_login: 'x'.repeat(61) }, 'invalid_login'],
      [{ user_login: 'pаypal' }, 'invalid_login'], // a Cyrillic а among Latin letters
      [{ user_login: 'ada\u200bx' }, 'invalid_login'],
      [{ user_email: 'not an email' }, 'invalid_email'],
      [{ roles: null }, 'unreadable_roles'],
      [{ roles: ['Shop-Manager'] }, 'invalid_role'],
      [{ password_hash: '$argon2id$v=19$m=65536,t=4,p=1$c2FsdA$aGFzaA' }, 'unknown_hash'],
      [{ password_hash: '' }, 'unknown_hash'],
    ] as const;
    for (const [change, reason] of reasons) expect(candidateOf({ ...row, ...change }, NOW), JSON.stringify(change)).toEqual({ reason });
  });
});
