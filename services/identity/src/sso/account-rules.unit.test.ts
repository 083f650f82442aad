import { describe, expect, it } from 'vitest';
import { loginCandidates, planAccount, type Unlinked } from './account-rules.js';

const owner = { id: 5, roles: ['subscriber'] as const, linkedToSite: false, hasPassword: false };
const given = (over: Partial<Unlinked>): Unlinked => ({
  email: 'ada@example.com',
  emailOwner: undefined,
  emailTaken: false,
  provision: false,
  linkByEmail: false,
  ...over,
});

describe('planAccount', () => {
  it('creates nothing when the site may not provision and no email link applies', () => {
    expect(planAccount(given({}))).toMatchObject({ kind: 'refuse', code: 'headlesskey_forbidden' });
    expect(planAccount(given({ emailOwner: owner, emailTaken: true }))).toMatchObject({ kind: 'refuse', code: 'headlesskey_forbidden' });
  });

  it('provisions when the site may and nothing local is taken, with or without an email', () => {
    expect(planAccount(given({ provision: true }))).toEqual({ kind: 'provision' });
    expect(planAccount(given({ provision: true, email: undefined }))).toEqual({ kind: 'provision' });
  });

  it('links the account with the same email only when the site links by email', () => {
    expect(planAccount(given({ emailOwner: owner, emailTaken: true, linkByEmail: true }))).toEqual({ kind: 'link', userId: 5 });
    expect(planAccount(given({ emailOwner: owner, emailTaken: true, provision: true }))).toMatchObject({
      kind: 'refuse',
      code: 'headlesskey_user_exists',
    });
  });

  it('never links an administrator by email, nor an account that already stands for another user of the site, nor one with a password', () => {
    const admin = { ...owner, roles: ['administrator'] as const };
    const taken = { ...owner, linkedToSite: true };
    const withPassword = { ...owner, hasPassword: true };
    for (const emailOwner of [admin, taken, withPassword]) {
      expect(planAccount(given({ emailOwner, emailTaken: true, linkByEmail: true }))).toMatchObject({ code: 'headlesskey_forbidden' });
      expect(planAccount(given({ emailOwner, emailTaken: true, linkByEmail: true, provision: true }))).toMatchObject({
        code: 'headlesskey_user_exists',
      });
    }
  });

  it('does not provision over an email reserved as someone’s login', () => {
    expect(planAccount(given({ emailTaken: true, provision: true, linkByEmail: true }))).toMatchObject({ code: 'headlesskey_user_exists' });
  });
});

describe('loginCandidates', () => {
  it('tries the remote login, then with the site key, then with a random suffix', () => {
    expect(loginCandidates('ada', 'site-a', '7', 'f00d')).toEqual(['ada', 'ada.site-a', 'ada.site-a.f00d']);
  });

  it('makes a login from the site and sub when the token names none, and cleans odd characters', () => {
    expect(loginCandidates(undefined, 'site-a', 'user|42', 'f00d')[0]).toBe('site-a_user_42');
    expect(loginCandidates('ｂｏｂ smith@x', 'a', '1', 'f')[0]).toBe('bob_smith_x');
    expect(loginCandidates('../', 'a', '1', 'f')[0]).toBe('a_1');
  });

  it('passes over a remote login that would mix scripts here, for one of the site and the sub', () => {
    expect(loginCandidates('p\u0430ypal', 'site-a', '7', 'f00d')).toEqual(['site-a_7', 'site-a_7.site-a', 'site-a_7.site-a.f00d']);
    expect(loginCandidates('Вася', 'site-a', '7', 'f00d')[0]).toBe('site-a_7');
    expect(loginCandidates('Вася', 'site-a', 'Петя', 'f00d')).toEqual(['site-a', 'site-a.f00d']);
  });

  it('keeps every candidate within 60 characters and distinct', () => {
    const candidates = loginCandidates('x'.repeat(80), 's'.repeat(64), '1', 'abcdef');
    for (const login of candidates) expect(login.length).toBeLessThanOrEqual(60);
    expect(new Set(candidates).size).toBe(3);
  });
});
