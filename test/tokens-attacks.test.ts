import { createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign, exportJWK, generateKeyPair, type JWK, type JWTHeaderParameters, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system.js';
import {
  b64url,
  bearer,
  claimsOf,
  type ErrorReply,
  freshDevice,
  headerOf,
  type Issued,
  loggedIn,
  login,
  openBus,
  register,
  resign,
  revoke,
  SECRET,
  TOKENS_ENV,
  validate,
} from './support/tokens.js';
import { eventually } from './support/users.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** The order of the P-256 group: (r, n - s) is the other valid encoding of an ECDSA signature (r, s). */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

type Header = JWTHeaderParameters & Record<string, unknown>;

/**
 * Forged, confused and malformed tokens (RFC 8725, ASVS V9): each is refused by validate and by
 * a protected route alike, with 401 and `data.valid === false`. The tokens are made with keys the
 * attacker controls, or with the operator's own secret where only a claim is out of range.
 */
describe('token attacks', () => {
  let system: TestSystem;
  /** A live HS256 token (the operator's secret) and a live ES256 token (a generated key). */
  let hs: Issued;
  let es: Issued;
  let rsKid: string;
  let rsPublic: JsonWebKey;
  let attacker: CryptoKeyPair;
  let attackerJwk: JWK;
  let keyServer: { url: string; hits: number; close(): Promise<void> };

  beforeAll(async () => {
    system = await startTestSystem({ env: { ...TOKENS_ENV, HEADLESSKEY_PRIVATE_KEY: PEM } });
    keyServer = await startKeyServer(() => ({ keys: [{ ...attackerJwk, kid: headerOf(es.token).kid, alg: 'ES256', use: 'sig' }] }));
    const user = await register(system);
    hs = await loggedIn(login(system, user, freshDevice()));
    const bus = await openBus(system);
    await bus.setSetting('algorithm', 'ES256');
    es = await eventually(async () => {
      const t = await loggedIn(login(system, user, freshDevice()));
      return headerOf(t.token).alg === 'ES256' ? t : undefined;
    });
    await bus.close();
    const jwks = (await system.request<{ keys: (JsonWebKey & { kid: string })[] }>('GET', '/.well-known/jwks.json')).body.keys;
    const rs = jwks.find((k) => k.kty === 'RSA')!;
    rsKid = rs.kid;
    rsPublic = rs;
    attacker = (await generateKeyPair('ES256', { extractable: true })) as CryptoKeyPair;
    attackerJwk = await exportJWK(attacker.publicKey);
  });
  afterAll(async () => {
    await keyServer?.close();
    await system?.stop();
  });

  /** Refused on /token/validate and on GET /me, with the same code, 401 and `valid: false`. */
  async function expectRefused(token: string, code = 'headlesskey_invalid_token') {
    const checked = await validate(system, token);
    expect(checked.status).toBe(401);
    expect(checked.body).toMatchObject({ code, data: { status: 401, valid: false } });
    const me = await system.get<ErrorReply>('/me', bearer(token));
    expect(me.status).toBe(401);
    expect(me.body).toMatchObject({ code, data: { status: 401, valid: false } });
  }

  const claims = (over: Record<string, unknown> = {}) => ({ ...claimsOf(es.token), ...over });
  /** A compact JWS of `payload` under `header`, signed with `key` (a key the attacker holds). */
  const sign = (header: Header, payload: unknown, key: CryptoKey | Uint8Array, crit?: Record<string, boolean>) =>
    new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header).sign(key, crit ? { crit } : undefined);
  const unsigned = (header: Record<string, unknown>, payload: unknown, signature = '') =>
    `${b64url(header)}.${b64url(payload)}.${signature}`;

  it('control: the same forging with nothing wrong is accepted, so each refusal below is the attack’s', async () => {
    expect((await validate(system, await resign(hs.token, {}))).status).toBe(200);
    expect((await system.get('/me', bearer(es.token))).status).toBe(200);
  });

  it('alg "none", with or without a kid, in any case', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      await expectRefused(unsigned({ alg, typ: 'JWT', kid: headerOf(hs.token).kid }, claimsOf(hs.token)));
      await expectRefused(unsigned({ alg, typ: 'JWT' }, claimsOf(hs.token)));
    }
  });

  it('HS256 keyed with the RS256 public key as PEM, naming that key’s kid', async () => {
    const pem = createPublicKey({ key: rsPublic, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    for (const text of [pem, pem.trim()]) {
      await expectRefused(await sign({ alg: 'HS256', typ: 'JWT', kid: rsKid }, claims(), new TextEncoder().encode(text)));
    }
  });

  it('HS256 keyed with the RS256 public key as JWK (and as DER), naming that key’s kid', async () => {
    const der = createPublicKey({ key: rsPublic, format: 'jwk' }).export({ type: 'spki', format: 'der' });
    for (const key of [new TextEncoder().encode(JSON.stringify(rsPublic)), new Uint8Array(der)]) {
      await expectRefused(await sign({ alg: 'HS256', typ: 'JWT', kid: rsKid }, claims(), key));
    }
  });

  it('a key in the header: jwk', async () => {
    const jwk = { ...attackerJwk };
    await expectRefused(await sign({ alg: 'ES256', typ: 'JWT', kid: headerOf(es.token).kid, jwk }, claims(), attacker.privateKey));
    await expectRefused(await sign({ alg: 'ES256', typ: 'JWT', jwk }, claims(), attacker.privateKey));
  });

  it('a key by reference in the header: jku and x5u, never fetched', async () => {
    for (const member of ['jku', 'x5u']) {
      const header = { alg: 'ES256', typ: 'JWT', kid: headerOf(es.token).kid, [member]: keyServer.url };
      await expectRefused(await sign(header, claims(), attacker.privateKey));
    }
    expect(keyServer.hits).toBe(0);
  });

  it('a key in the header: x5c', async () => {
    const spki = createPublicKey({ key: attackerJwk as JsonWebKey, format: 'jwk' })
      .export({ type: 'spki', format: 'der' })
      .toString('base64');
    const header = { alg: 'ES256', typ: 'JWT', kid: headerOf(es.token).kid, x5c: [spki] };
    await expectRefused(await sign(header, claims(), attacker.privateKey));
  });

  it('an unknown crit extension, even correctly signed', async () => {
    const header = { alg: 'HS256', typ: 'JWT', kid: headerOf(hs.token).kid, crit: ['x-policy'], 'x-policy': 'ignore-exp' };
    await expectRefused(await sign(header, claimsOf(hs.token), new TextEncoder().encode(SECRET), { 'x-policy': true }));
  });

  it('an all-zero ES256 signature, and an empty one', async () => {
    const [h, p] = es.token.split('.');
    await expectRefused(`${h}.${p}.${Buffer.alloc(64).toString('base64url')}`);
    await expectRefused(`${h}.${p}.`);
  });

  it('a kid nobody knows, no kid, and a known kid with another algorithm', async () => {
    await expectRefused(await resign(hs.token, {}, { kid: 'no-such-key' }));
    const { kid: _, ...noKid } = headerOf(hs.token);
    await expectRefused(
      await new SignJWT(claimsOf(hs.token))
        .setProtectedHeader({ ...noKid, alg: 'HS256' } as JWTHeaderParameters)
        .sign(new TextEncoder().encode(SECRET)),
    );
    // The ES256 key's kid on an HMAC made with the operator's own secret.
    await expectRefused(await resign(hs.token, {}, { kid: headerOf(es.token).kid }));
  });

  it('a typ other than JWT', async () => {
    await expectRefused(await resign(hs.token, {}, { typ: 'at+jwt' }));
  });

  it('an iss that is not ours', async () => {
    await expectRefused(await resign(hs.token, { iss: 'https://evil.example' }));
  });

  it('an aud that is not ours', async () => {
    await expectRefused(await resign(hs.token, { aud: 'someone-else' }));
    await expectRefused(await resign(hs.token, { aud: ['someone-else'] }));
  });

  it('nbf in the future', async () => {
    await expectRefused(await resign(hs.token, { nbf: Math.floor(Date.now() / 1000) + 3600 }));
  });

  it('iat in the future', async () => {
    await expectRefused(await resign(hs.token, { iat: Math.floor(Date.now() / 1000) + 3600 }));
  });

  it('exp in the past: 401 headlesskey_token_expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await resign(hs.token, { iat: now - 600, nbf: now - 600, exp: now - 300 }), 'headlesskey_token_expired');
  });

  it('a token over 8 KiB, even correctly signed', async () => {
    const big = await resign(hs.token, { padding: 'x'.repeat(8200) });
    expect(big.length).toBeGreaterThan(8192);
    await expectRefused(big);
    const header = await system.post<ErrorReply>('/token/validate', {}, bearer(big));
    expect(header.body).toMatchObject({ code: 'headlesskey_invalid_token', data: { valid: false } });
  });

  it('malformed: two segments, four segments, bad base64, JSON garbage in the header or the claims', async () => {
    const [h, p, s] = hs.token.split('.');
    await expectRefused(`${h}.${p}`);
    await expectRefused(`${h}.${p}.${s}.${s}`);
    await expectRefused(`${h}.${p}!.${s}`);
    await expectRefused('%%%.^^^.***');
    await expectRefused(`${b64url('{"alg":"HS256",')}.${p}.${s}`);
    const kid = headerOf(hs.token).kid;
    await expectRefused(await sign({ alg: 'HS256', typ: 'JWT', kid }, 'not an object', new TextEncoder().encode(SECRET)));
    await expectRefused(unsigned({ alg: 'HS256', typ: 'JWT', kid }, 'x').replace(/\.[^.]*\.$/, `.${b64url('{]')}.${s}`));
  });

  it('a malleated ECDSA signature (s → n − s) is either refused or the same jti, revoked with the original', async () => {
    const user = await register(system);
    for (const revokeMalleated of [false, true]) {
      const original = (await loggedIn(login(system, user, freshDevice()))).token;
      expect(headerOf(original).alg).toBe('ES256');
      const [h, p, sig] = original.split('.');
      const raw = Buffer.from(sig!, 'base64url');
      const s = BigInt(`0x${raw.subarray(32).toString('hex')}`);
      const flipped = Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex');
      const malleated = `${h}.${p}.${Buffer.concat([raw.subarray(0, 32), flipped]).toString('base64url')}`;
      expect(malleated).not.toBe(original);

      const checked = await validate(system, malleated);
      if (checked.status === 200) expect(checked.body.data.jti).toBe(claimsOf(original).jti);
      else expect(checked.body).toMatchObject({ code: 'headlesskey_invalid_token', data: { valid: false } });
      // Revocation is keyed on the jti: revoking either encoding ends both.
      const revokedWith = revokeMalleated && checked.status === 200 ? malleated : original;
      expect((await revoke(system, revokedWith)).status).toBe(200);
      for (const t of [original, malleated]) {
        const after = await validate(system, t);
        expect(after.status).toBe(401);
        expect(after.body.data.valid).toBe(false);
        expect((await system.get('/me', bearer(t))).status).toBe(401);
      }
    }
  });

  it('the correctly signed token of a revoked session: 401 headlesskey_token_revoked', async () => {
    const user = await register(system);
    const { token } = await loggedIn(login(system, user, freshDevice()));
    expect((await revoke(system, token)).status).toBe(200);
    await expectRefused(token, 'headlesskey_token_revoked');
  });
});

/** A JWKS server the attacker controls; counts requests, so a test can show nobody fetched it. */
async function startKeyServer(body: () => unknown) {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    get hits() {
      return hits;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
