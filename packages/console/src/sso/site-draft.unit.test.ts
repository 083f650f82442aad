import { describe, expect, it } from 'vitest';
import type { Site } from './queries.js';
import { createBody, draftOf, patchBody } from './site-draft.js';

const SITE: Site = {
  site_key: 'shop',
  issuer: 'https://shop.example',
  audience: null,
  verification: 'hs256',
  algorithm: 'HS256',
  public_key: null,
  jwks_url: null,
  provision_users: false,
  link_by_email: false,
  default_role: 'subscriber',
  created_at: '2026-12-07T06:43:17.266Z',
  updated_at: '2026-12-07T06:43:17.266Z',
};

describe('SSO site form bodies', () => {
  it('creates with the chosen method’s material only, and no empty audience', () => {
    const draft = { ...draftOf(undefined), site_key: ' shop ', issuer: 'https://shop.example', hs256_secret: 's'.repeat(32) };
    expect(createBody(draft)).toEqual({
      site_key: 'shop',
      issuer: 'https://shop.example',
      verification: 'hs256',
      hs256_secret: 's'.repeat(32),
      provision_users: false,
      link_by_email: false,
      default_role: 'subscriber',
    });
    expect(createBody({ ...draft, verification: 'jwks', jwks_url: 'https://x.example/jwks' })).toMatchObject({
      jwks_url: 'https://x.example/jwks',
      algorithm: 'RS256',
    });
    expect(createBody({ ...draft, verification: 'jwks' })).not.toHaveProperty('hs256_secret');
  });

  it('patches only what changed; an empty HS256 secret keeps the stored one', () => {
    expect(patchBody(SITE, draftOf(SITE))).toEqual({});
    expect(patchBody(SITE, { ...draftOf(SITE), default_role: 'author', audience: 'api' })).toEqual({
      default_role: 'author',
      audience: 'api',
    });
    expect(patchBody({ ...SITE, audience: 'api' }, { ...draftOf({ ...SITE, audience: 'api' }), audience: '' })).toEqual({ audience: null });
    expect(patchBody(SITE, { ...draftOf(SITE), hs256_secret: 'n'.repeat(32) })).toEqual({ hs256_secret: 'n'.repeat(32) });
  });

  it('sends the new method’s material with a change of verification', () => {
    expect(patchBody(SITE, { ...draftOf(SITE), verification: 'jwks', jwks_url: 'https://x.example/jwks', algorithm: 'ES256' })).toEqual({
      verification: 'jwks',
      jwks_url: 'https://x.example/jwks',
      algorithm: 'ES256',
    });
    const jwks: Site = { ...SITE, verification: 'jwks', algorithm: 'ES256', jwks_url: 'https://x.example/jwks' };
    expect(patchBody(jwks, { ...draftOf(jwks), algorithm: 'RS256' })).toEqual({ jwks_url: 'https://x.example/jwks', algorithm: 'RS256' });
  });
});
