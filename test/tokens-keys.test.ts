import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import {
  AUDIENCE,
  type Bus,
  bearer,
  freshDevice,
  headerOf,
  ISSUER,
  loggedIn,
  login,
  register,
  SECRET,
  signInAdmin,
  TOKENS_ENV,
  validate,
  withTokensSystem,
} from './support/tokens.js';
import { eventually } from './support/users.js';

/** Members of a JWK that are private (RSA, EC) or secret (oct): never in the JWKS. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const RSA_PUBLIC = rsa.publicKey.export({ format: 'jwk' });

type Jwks = { keys: (JsonWebKey & { kid: string; alg: string; use: string })[] };

/**
 * Signing keys and algorithms: HS256 from HEADLESSKEY_SECRET_KEY, RS256 from the operator's PEM
 * (HEADLESSKEY_PRIVATE_KEY), ES256 generated once and kept; the `algorithm` setting picks the
 * one that signs, live, while tokens of the others go on validating.
 */
describe('signing keys and algorithms', () => {
  let system: TestSystem;
  let bus: Bus;
  let user: Awaited<ReturnType<typeof register>>;
  const held: Record<string, string> = {};

  withTokensSystem(
    async (started, opened) => {
      system = started;
      bus = opened;
      user = await register(system);
    },
    { ...TOKENS_ENV, HEADLESSKEY_PRIVATE_KEY: PEM },
  );

  const jwks = async () => {
    const reply = await system.request<Jwks>('GET', '/.well-known/jwks.json');
    expect(reply.status).toBe(200);
    return reply.body;
  };
  const token = async () => (await loggedIn(login(system, user, freshDevice()))).token;
  /** Switches the algorithm and waits until logins carry it. */
  const algorithm = async (alg: string) => {
    await bus.setSetting('algorithm', alg);
    return eventually(async () => {
      const t = await token();
      return headerOf(t).alg === alg ? t : undefined;
    });
  };

  it('signs HS256 with HEADLESSKEY_SECRET_KEY by default, naming the key', async () => {
    const t = await token();
    expect(headerOf(t)).toEqual({ alg: 'HS256', typ: 'JWT', kid: expect.stringMatching(/^[\w-]{8,}$/) });
    const { payload } = await jwtVerify(t, new TextEncoder().encode(SECRET), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    expect(payload.sub).toBe(String(user.id));
    held.HS256 = t;
  });

  it('publishes only public keys in /.well-known/jwks.json, never the HS256 secret', async () => {
    const { keys } = await jwks();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      for (const member of PRIVATE_MEMBERS) expect(key, `${key.kid} has "${member}"`).not.toHaveProperty(member);
      expect(key.kty).not.toBe('oct');
      expect(key.alg).not.toBe('HS256');
      expect(key).toMatchObject({ kid: expect.any(String), use: 'sig' });
    }
    expect(keys.filter((k) => k.kid === headerOf(held.HS256!).kid)).toEqual([]);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(keys.length);
  });

  it('publishes the public half of HEADLESSKEY_PRIVATE_KEY, and signs RS256 with it once chosen', async () => {
    const published = (await jwks()).keys.find((k) => k.n === RSA_PUBLIC.n);
    expect(published).toMatchObject({ kty: 'RSA', e: RSA_PUBLIC.e, alg: 'RS256', use: 'sig' });

    const t = await algorithm('RS256');
    expect(headerOf(t)).toEqual({ alg: 'RS256', typ: 'JWT', kid: published!.kid });
    // A relying party verifies with our public key alone, or with the published set.
    await jwtVerify(t, rsa.publicKey, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'] });
    await jwtVerify(t, createLocalJWKSet(await jwks()), { issuer: ISSUER, audience: AUDIENCE });
    expect((await validate(system, t)).status).toBe(200);
    held.RS256 = t;
    expect((await validate(system, held.HS256!)).body).toMatchObject({ valid: true });
  });

  it('signs ES256 with a generated key it publishes, and the older tokens still validate', async () => {
    const t = await algorithm('ES256');
    const { kid } = headerOf(t);
    const published = (await jwks()).keys.find((k) => k.kid === kid);
    expect(published).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    await jwtVerify(t, createLocalJWKSet(await jwks()), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'] });
    held.ES256 = t;
    for (const alg of ['HS256', 'RS256', 'ES256']) {
      expect((await validate(system, held[alg]!)).body, alg).toMatchObject({ valid: true });
    }
  });

  it('keeps the generated key across a restart of the tokens service', async () => {
    const kid = headerOf(held.ES256!).kid;
    await system.restart('tokens');
    expect((await validate(system, held.ES256!)).body).toMatchObject({ valid: true });
    const after = await token();
    expect(headerOf(after)).toMatchObject({ alg: 'ES256', kid });
    expect((await jwks()).keys.map((k) => k.kid)).toContain(kid);
    for (const alg of ['HS256', 'RS256']) expect((await validate(system, held[alg]!)).body, alg).toMatchObject({ valid: true });
  });

  it('goes back to HS256 live, and every token of the other keys still validates', async () => {
    const t = await algorithm('HS256');
    expect(headerOf(t).kid).toBe(headerOf(held.HS256!).kid);
    for (const alg of ['HS256', 'RS256', 'ES256']) {
      expect((await validate(system, held[alg]!)).body, alg).toMatchObject({ valid: true });
    }
  });

  it('refuses to rotate a key that comes from the environment', async () => {
    await algorithm('RS256');
    const reply = await system.post<{ code: string }>('/keys/rotate', undefined, bearer(await signInAdmin(system)));
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('headlesskey_forbidden');
    expect(headerOf(await token()).kid).toBe(headerOf(held.RS256!).kid);
  });

  it('refuses to import a key of the algorithm the environment gives, and lists that key as from the environment', async () => {
    const auth = bearer(await signInAdmin(system));
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const reply = await system.post<{ code: string }>('/keys/import', { algorithm: 'RS256', private_key: other, activate: true }, auth);
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('headlesskey_forbidden');
    const keys = (await system.get<{ keys: { kid: string; source: string; alg: string }[] }>('/keys', auth)).body.keys;
    expect(keys.filter((k) => k.alg === 'RS256')).toEqual([
      expect.objectContaining({ kid: headerOf(held.RS256!).kid, source: 'environment' }),
    ]);
    expect(headerOf(await token()).kid).toBe(headerOf(held.RS256!).kid);
  });
});
