import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkExchangeRequest, remoteUserOf } from './rules.js';
import { signatureFor, signatureMatches, signedMessage, TIMESTAMP_WINDOW_SECONDS, timestampFresh } from './signature.js';

const SECRET = 'hksso_shared-secret-of-the-remote-site-0123456789';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
const NOW = 1_700_000_000;
const hmac = (secret: string, message: string) => createHmac('sha256', secret).update(message).digest('hex');

describe('exchange signatures', () => {
  it('is the lowercase hex HMAC-SHA256 of the token, or of "{timestamp}.{token}" in the headers form', () => {
    expect(signedMessage(TOKEN)).toBe(TOKEN);
    expect(signedMessage(TOKEN, '1700000000')).toBe(`1700000000.${TOKEN}`);
    expect(signatureFor(SECRET, TOKEN)).toBe(hmac(SECRET, TOKEN));
    expect(signatureFor(SECRET, TOKEN)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches only the HMAC of the same message under the same secret', () => {
    const good = hmac(SECRET, TOKEN);
    expect(signatureMatches(SECRET, TOKEN, good)).toBe(true);
    expect(signatureMatches(SECRET, TOKEN, good.toUpperCase())).toBe(true);
    expect(signatureMatches(`${SECRET}x`, TOKEN, good)).toBe(false);
    expect(signatureMatches(SECRET, `${TOKEN}x`, good)).toBe(false);
    expect(signatureMatches(SECRET, TOKEN, `${good.slice(0, 63)}${good[63] === '0' ? '1' : '0'}`)).toBe(false);
  });

  it('never matches what is not 64 hex digits', () => {
    const good = hmac(SECRET, TOKEN);
    for (const bad of [
      '',
      good.slice(0, 62),
      `${good}00`,
      `${good.slice(0, 63)}g`,
      Buffer.from(good, 'hex').toString('base64'),
      '0'.repeat(64),
    ]) {
      expect(signatureMatches(SECRET, TOKEN, bad)).toBe(false);
    }
  });

  it('takes a timestamp within 300 seconds either way, and nothing that is not Unix seconds', () => {
    expect(TIMESTAMP_WINDOW_SECONDS).toBe(300);
    expect(timestampFresh(String(NOW), NOW)).toBe(true);
    expect(timestampFresh(String(NOW - 300), NOW)).toBe(true);
    expect(timestampFresh(String(NOW + 300), NOW)).toBe(true);
    expect(timestampFresh(String(NOW - 301), NOW)).toBe(false);
    expect(timestampFresh(String(NOW + 301), NOW)).toBe(false);
    for (const bad of ['', '-1', '1e9', '1700000000.5', ' 1700000000', '0x6553f100', String(NOW * 1000)]) {
      expect(timestampFresh(bad, NOW)).toBe(false);
    }
  });
});

describe('checkExchangeRequest', () => {
  const body = (over: Partial<Parameters<typeof checkExchangeRequest>[0]> = {}) =>
    checkExchangeRequest({ secret: SECRET, token: TOKEN, signature: hmac(SECRET, TOKEN), now: NOW, ...over });
  const headers = (timestamp: string, signature = hmac(SECRET, `${timestamp}.${TOKEN}`)) => body({ timestamp, signature });

  it('accepts a correctly signed request in either form', () => {
    expect(body()).toBeUndefined();
    expect(headers(String(NOW - 10))).toBeUndefined();
  });

  it('refuses a signature by another secret, or over another token, as an invalid signature', () => {
    expect(body({ signature: hmac('another-secret', TOKEN) })).toEqual({
      refused: 'headlesskey_sso_invalid_signature',
      reason: 'signature mismatch',
    });
    expect(body({ token: `${TOKEN}x` })?.refused).toBe('headlesskey_sso_invalid_signature');
  });

  it('does not let one form’s signature stand for the other', () => {
    expect(headers(String(NOW), hmac(SECRET, TOKEN))?.refused).toBe('headlesskey_sso_invalid_signature');
    expect(body({ signature: hmac(SECRET, `${NOW}.${TOKEN}`) })?.refused).toBe('headlesskey_sso_invalid_signature');
  });

  it('refuses a correctly signed stale or future timestamp as a replay', () => {
    expect(headers(String(NOW - 301))).toEqual({ refused: 'headlesskey_sso_replay', reason: 'timestamp outside the window' });
    expect(headers(String(NOW + 301))?.refused).toBe('headlesskey_sso_replay');
  });

  it('checks the signature before the timestamp, so an unsigned request learns nothing of the clock', () => {
    expect(headers(String(NOW - 1000), hmac('another-secret', `${NOW - 1000}.${TOKEN}`))?.refused).toBe(
      'headlesskey_sso_invalid_signature',
    );
  });
});

describe('remoteUserOf', () => {
  const claims = {
    iss: 'https://a.example',
    sub: '7',
    jti: 'j-1',
    exp: NOW + 60,
    data: { ID: 7, user_login: 'ada', roles: ['administrator'] },
  };

  it('reads sub, jti, exp, and the login from HeadlessKey’s data', () => {
    expect(remoteUserOf({ ...claims, email: 'ada@a.example' })).toEqual({
      sub: '7',
      jti: 'j-1',
      expiresAt: NOW + 60,
      email: 'ada@a.example',
      login: 'ada',
      displayName: undefined,
    });
  });

  it('falls back to the OIDC claims for login and name', () => {
    const user = remoteUserOf({ sub: 'abc', jti: 'j', exp: NOW, preferred_username: ' grace ', name: 'Grace Hopper' });
    expect(user).toMatchObject({ login: 'grace', displayName: 'Grace Hopper' });
  });

  it('never takes roles from the remote token', () => {
    expect(Object.keys(remoteUserOf(claims))).not.toContain('roles');
  });

  it('refuses a token without sub or jti, or with ones out of shape', () => {
    for (const over of [{ sub: undefined }, { sub: 7 }, { sub: '' }, { jti: undefined }, { jti: 'x'.repeat(256) }, { exp: undefined }]) {
      expect(remoteUserOf({ ...claims, ...over })).toMatchObject({ refused: 'headlesskey_invalid_token' });
    }
  });

  it('drops an email the site says is unverified, or that is not an address', () => {
    expect(remoteUserOf({ ...claims, email: 'ada@a.example', email_verified: false })).toMatchObject({ email: undefined });
    expect(remoteUserOf({ ...claims, email: 'ada@a.example', email_verified: true })).toMatchObject({ email: 'ada@a.example' });
    for (const email of ['ada', 'ada @a.example', 42, `${'a'.repeat(250)}@a.example`]) {
      expect(remoteUserOf({ ...claims, email })).toMatchObject({ email: undefined });
    }
  });
});
