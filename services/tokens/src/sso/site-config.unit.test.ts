import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkJwksUrl, checkSiteConfig, patchedInput } from './site-config.js';

const pem = (pair: { publicKey: { export(o: object): string | Buffer } }) =>
  pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const EC_PEM = pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }));
const RSA_PEM = pem(generateKeyPairSync('rsa', { modulusLength: 2048 }));
const SMALL_RSA = pem(generateKeyPairSync('rsa', { modulusLength: 1024 }));
const P384 = pem(generateKeyPairSync('ec', { namedCurve: 'P-384' }));
const PRIVATE = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const HS = 'a-remote-hs256-secret-of-at-least-32-bytes';
const base = { issuer: 'https://a.example' };

const problems = (input: Parameters<typeof checkSiteConfig>[0]) => {
  const checked = checkSiteConfig(input);
  return checked.ok ? undefined : checked.params;
};

describe('checkSiteConfig', () => {
  it('keeps an HS256 site with safe defaults: no provisioning, no email links, subscribers', () => {
    expect(checkSiteConfig({ ...base, verification: 'hs256', hs256_secret: HS })).toEqual({
      ok: true,
      config: {
        issuer: 'https://a.example',
        audience: null,
        verification: 'hs256',
        algorithm: 'HS256',
        hs256_secret: HS,
        public_key: null,
        jwks_url: null,
        provision_users: false,
        link_by_email: false,
        default_role: 'subscriber',
      },
    });
  });

  it('refuses an HS256 secret shorter than 256 bits, or another algorithm with it', () => {
    expect(problems({ ...base, verification: 'hs256', hs256_secret: 'x'.repeat(31) })).toEqual({
      hs256_secret: 'hs256_secret must be at least 32 bytes.',
    });
    expect(problems({ ...base, verification: 'hs256', hs256_secret: HS, algorithm: 'RS256' })).toHaveProperty('algorithm');
    expect(problems({ ...base, verification: 'hs256' })).toHaveProperty('hs256_secret');
  });

  it('pins the algorithm a public key is for', () => {
    expect(checkSiteConfig({ ...base, verification: 'public_key', public_key: EC_PEM })).toMatchObject({
      ok: true,
      config: { algorithm: 'ES256' },
    });
    expect(checkSiteConfig({ ...base, verification: 'public_key', public_key: RSA_PEM })).toMatchObject({
      ok: true,
      config: { algorithm: 'RS256' },
    });
    expect(problems({ ...base, verification: 'public_key', public_key: EC_PEM, algorithm: 'RS256' })).toEqual({
      algorithm: 'the public key is for ES256.',
    });
  });

  it('refuses a bad PEM, a private key, and keys we do not verify with', () => {
    const reasonFor = (public_key: string) => problems({ ...base, verification: 'public_key', public_key })?.public_key;
    expect(reasonFor('not a key')).toMatch(/PEM public key/);
    expect(reasonFor('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toBe('public_key is not a readable PEM public key.');
    expect(reasonFor(PRIVATE)).toBe('public_key must be a public key, never a private one.');
    expect(reasonFor(SMALL_RSA)).toMatch(/at least 2048 bits/);
    expect(reasonFor(P384)).toMatch(/P-256/);
  });

  it('needs an algorithm and a URL it may fetch for a JWKS', () => {
    const ok = checkSiteConfig({ ...base, verification: 'jwks', jwks_url: 'https://a.example/.well-known/jwks.json', algorithm: 'ES256' });
    expect(ok).toMatchObject({ ok: true, config: { algorithm: 'ES256', jwks_url: 'https://a.example/.well-known/jwks.json' } });
    expect(problems({ ...base, verification: 'jwks', jwks_url: 'https://a.example/jwks' })).toHaveProperty('algorithm');
    expect(problems({ ...base, verification: 'jwks', jwks_url: 'https://a.example/jwks', algorithm: 'HS256' })).toHaveProperty('algorithm');
    expect(problems({ ...base, verification: 'jwks', algorithm: 'RS256' })).toHaveProperty('jwks_url');
    expect(problems({ ...base, verification: 'jwks', jwks_url: 'ftp://a.example/jwks', algorithm: 'RS256' })).toHaveProperty('jwks_url');
  });

  it('refuses key material of another method, so nothing is stored unseen', () => {
    expect(problems({ ...base, verification: 'hs256', hs256_secret: HS, public_key: EC_PEM })).toEqual({
      public_key: 'public_key is only used with verification "public_key".',
    });
    expect(problems({ ...base, verification: 'public_key', public_key: EC_PEM, hs256_secret: HS })).toHaveProperty('hs256_secret');
  });
});

describe('checkJwksUrl', () => {
  const reason = (text: string) => {
    const url = checkJwksUrl(text);
    return typeof url === 'string' ? url : undefined;
  };

  it('takes https anywhere and plain http to this machine only', () => {
    for (const ok of [
      'https://a.example/jwks',
      'http://127.0.0.1:8080/.well-known/jwks.json',
      'http://localhost/jwks',
      'http://[::1]:9/j',
    ]) {
      expect(reason(ok)).toBeUndefined();
    }
    expect(reason('http://a.example/jwks')).toMatch(/https/);
    expect(reason('http://10.0.0.1/jwks')).toMatch(/https/);
  });

  it('refuses what is not a URL, credentials and fragments', () => {
    expect(reason('jwks.json')).toBe('jwks_url is not a valid URL.');
    expect(reason('https://u:p@a.example/jwks')).toBe('jwks_url must not carry credentials.');
    expect(reason('https://a.example/jwks#x')).toBe('jwks_url must not have a fragment.');
  });
});

describe('patchedInput', () => {
  const stored = {
    issuer: 'https://a.example',
    audience: 'b',
    verification: 'hs256' as const,
    algorithm: 'HS256' as const,
    hs256_secret: HS,
    public_key: null,
    jwks_url: null,
    provision_users: true,
    link_by_email: false,
    default_role: 'author' as const,
  };

  it('keeps what the patch does not name, and clears the audience on null', () => {
    const input = patchedInput(stored, { link_by_email: true, audience: null });
    expect(checkSiteConfig(input)).toEqual({ ok: true, config: { ...stored, link_by_email: true, audience: null } });
  });

  it('drops the old method’s key material when the verification changes', () => {
    const input = patchedInput(stored, { verification: 'jwks', jwks_url: 'https://a.example/jwks', algorithm: 'ES256' });
    expect(checkSiteConfig(input)).toMatchObject({
      ok: true,
      config: { hs256_secret: null, jwks_url: 'https://a.example/jwks', algorithm: 'ES256' },
    });
    expect(problems(patchedInput(stored, { verification: 'public_key' }))).toHaveProperty('public_key');
  });
});
