import { describe, expect, it } from 'vitest';
import { HeadlessKeyError } from '../errors.js';
import { toBase64Url } from './jws.js';
import { createVerifier, type VerifyOptions } from './verify.js';

const ISSUER = 'https://auth.example.test';
const AUDIENCE = 'headlesskey';
const SECRET = 'a-shared-secret-of-thirty-two-bytes-or-more';
const encode = (value: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(value)));

type Pair = { alg: 'RS256' | 'ES256'; kid: string; keys: CryptoKeyPair };

async function pair(alg: Pair['alg'], kid: string): Promise<Pair> {
  const params =
    alg === 'ES256'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  return { alg, kid, keys: (await crypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair };
}

const now = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: AUDIENCE,
  iat: now(),
  nbf: now(),
  exp: now() + 3600,
  jti: '0b6f1e33-8a59-4d8b-9a6f-0c9d2a1b7e44',
  sub: '7',
  sid: '7d3c1a40-5a2e-4b7f-8f0e-2a9c4b6d8e10',
  data: { ID: 7, user_login: 'ada', roles: ['subscriber'] },
  ...over,
});

async function signed(header: Record<string, unknown>, payload: unknown, sign: (input: Uint8Array<ArrayBuffer>) => Promise<ArrayBuffer>) {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${toBase64Url(new Uint8Array(await sign(new TextEncoder().encode(input))))}`;
}

const withPair = (p: Pair, payload: unknown = claims(), header: Record<string, unknown> = {}) =>
  signed({ alg: p.alg, kid: p.kid, typ: 'JWT', ...header }, payload, (input) =>
    crypto.subtle.sign(p.alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : 'RSASSA-PKCS1-v1_5', p.keys.privateKey, input),
  );

async function hmac(
  secret: string,
  payload: unknown = claims(),
  header: Record<string, unknown> = { alg: 'HS256', kid: 'hs', typ: 'JWT' },
) {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return signed(header, payload, (input) => crypto.subtle.sign('HMAC', key, input));
}

/** A JWKS endpoint of these keys, counting its requests. */
async function jwksOf(pairs: Pair[]) {
  const served = {
    keys: await Promise.all(
      pairs.map(async (p) => ({ ...(await crypto.subtle.exportKey('jwk', p.keys.publicKey)), kid: p.kid, alg: p.alg, use: 'sig' })),
    ),
  };
  const calls: string[] = [];
  const fetcher = (async (url: string) => {
    calls.push(url);
    return new Response(JSON.stringify(served), { headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { served, calls, fetcher };
}

const refusal = async (promise: Promise<unknown>) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HeadlessKeyError);
  return err as HeadlessKeyError;
};

describe('verifyToken', () => {
  const base: VerifyOptions = { issuer: ISSUER, audience: AUDIENCE };

  it('takes RS256 and ES256 tokens by their kid from the key set, and HS256 ones with the secret', async () => {
    const [rs, es] = [await pair('RS256', 'r1'), await pair('ES256', 'e1')];
    const { fetcher } = await jwksOf([rs, es]);
    const verify = createVerifier({ ...base, jwksUrl: 'https://auth.example.test/.well-known/jwks.json', fetch: fetcher });
    expect((await verify(await withPair(rs))).data.user_login).toBe('ada');
    expect((await verify(await withPair(es))).sub).toBe('7');
    expect((await createVerifier({ ...base, secret: SECRET })(await hmac(SECRET))).sid).toBe(claims().sid);
  });

  it('refuses what RFC 8725 warns of: none, an HMAC keyed with a public key, a key in the header, a mismatched algorithm', async () => {
    const es = await pair('ES256', 'e1');
    const { served, fetcher } = await jwksOf([es]);
    const verify = createVerifier({ ...base, jwksUrl: 'https://a.test/jwks', fetch: fetcher });
    const none = `${encode({ alg: 'none', kid: 'e1' })}.${encode(claims())}.`;
    expect((await refusal(verify(none))).code).toBe('headlesskey_invalid_token');
    const confused = await hmac(JSON.stringify(served.keys[0]), claims(), { alg: 'HS256', kid: 'e1', typ: 'JWT' });
    expect((await refusal(verify(confused))).message).toBe('algorithm not allowed for key');
    const carried = await withPair(es, claims(), { jwk: served.keys[0] });
    expect((await refusal(verify(carried))).message).toBe('key in token header');
    const rs = await pair('RS256', 'e1');
    expect((await refusal(verify(await withPair(rs)))).message).toBe('algorithm not allowed for key');
    // A secret verifier takes HS256 only.
    expect((await refusal(createVerifier({ ...base, secret: SECRET })(await withPair(es)))).message).toBe('algorithm not allowed for key');
  });

  it('refuses a changed payload, a signature in a second spelling, and the wrong issuer, audience or times', async () => {
    const es = await pair('ES256', 'e1');
    const { fetcher } = await jwksOf([es]);
    const verify = createVerifier({ ...base, jwksUrl: 'https://a.test/jwks', fetch: fetcher });
    const token = await withPair(es);
    const [h, , s] = token.split('.');
    expect((await refusal(verify(`${h}.${encode(claims({ sub: '1' }))}.${s}`))).message).toBe('signature does not verify');
    // 64 bytes end on 2 spare bits in base64url: setting them spells the same signature anew.
    const last = (s as string).at(-1) as string;
    const respelled = `${token.slice(0, -1)}${'AQgw'.includes(last) ? String.fromCharCode(last.charCodeAt(0) + 1) : 'B'}`;
    expect((await refusal(verify(respelled))).code).toBe('headlesskey_invalid_token');
    for (const garbage of ['a.b.c', 'x', '..', `${h}.${encode(claims())}`, `${h}.e30.${s}`]) {
      expect((await refusal(verify(garbage))).code, garbage).toBe('headlesskey_invalid_token');
    }
    expect((await refusal(verify(await withPair(es, claims({ iss: 'https://evil.test' }))))).message).toBe('wrong issuer');
    expect((await refusal(verify(await withPair(es, claims({ aud: 'another' }))))).message).toBe('wrong audience');
    expect((await refusal(verify(await withPair(es, claims({ nbf: now() + 60 }))))).message).toBe('not yet valid');
    const expired = await refusal(verify(await withPair(es, claims({ iat: now() - 100, nbf: now() - 100, exp: now() }))));
    expect(expired).toMatchObject({ code: 'headlesskey_token_expired', status: 401 });
    expect((await refusal(verify(await withPair(es, claims({ exp: now() + 31 * 86_400 }))))).message).toBe(
      'lifetime beyond the longest token_ttl',
    );
  });

  it('fetches the key set again for a kid it does not know — once per cooldown, however many come', async () => {
    const [first, next] = [await pair('ES256', 'k1'), await pair('ES256', 'k2')];
    const set = await jwksOf([first]);
    let clock = 0;
    const verify = createVerifier({
      ...base,
      jwksUrl: 'https://a.test/jwks',
      fetch: set.fetcher,
      jwks: { cooldownMs: 30_000, now: () => clock },
    });
    await verify(await withPair(first));
    expect(set.calls).toHaveLength(1);
    // The server rotates: its set now holds the new key too.
    set.served.keys.push({ ...(await crypto.subtle.exportKey('jwk', next.keys.publicKey)), kid: 'k2', alg: 'ES256', use: 'sig' });
    clock = 31_000;
    await verify(await withPair(next));
    expect(set.calls).toHaveLength(2);
    for (let i = 0; i < 5; i++) await refusal(verify(await withPair(await pair('ES256', `forged-${i}`))));
    expect(set.calls).toHaveLength(2);
  });
});
