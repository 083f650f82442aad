import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from './redact.js';

describe('redact', () => {
  it('keeps the ids and facts events are made of', () => {
    const data = {
      user_id: 4,
      user_login: 'ada',
      session_id: 's-1',
      jti: 'j-1',
      parent_jti: 'j-0',
      presented_jti: 'j-2',
      site_key: 'blog',
      reason: 'invalid_credentials',
      expires_at: 1,
      device: 'laptop',
    };
    expect(redact(data)).toEqual(data);
  });

  it('replaces credential-named fields at any depth', () => {
    const data = {
      password: 'p',
      new_password: 'p',
      token: 't',
      refresh_token: 't',
      reset_key: 'k',
      key: 'k',
      otp: '123456',
      code: '123456',
      secret: 's',
      password_hash: 'h',
      signature: 'sigvalue',
      nested: { api_key: 'k', list: [{ authorization: 'Bearer x' }] },
    };
    const out = JSON.stringify(redact(data));
    for (const leaked of ['"p"', '"t"', '"k"', '123456', '"s"', '"h"', 'sigvalue', 'Bearer x']) expect(out).not.toContain(leaked);
    expect(out).toContain('"nested":{"api_key":"[redacted]","list":[{"authorization":"[redacted]"}]}');
  });

  it('replaces values shaped like tokens and secrets whatever their field is called', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(redact({ note: jwt, other: 'whsec_abc', hash: '$2b$12$abcdefghijklmnopqrstuv', ok: 'fine' })).toEqual({
      note: REDACTED,
      other: REDACTED,
      hash: REDACTED,
      ok: 'fine',
    });
    expect(redact({ note: 'x $2a$10$abc y' })).toEqual({ note: REDACTED });
  });

  it('stops at a depth no event has', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20; i++) deep = { deeper: deep };
    expect(JSON.stringify(redact(deep))).toContain(REDACTED);
  });
});
