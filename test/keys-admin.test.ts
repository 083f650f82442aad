import { generateKeyPairSync } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { serviceDb } from './support/admin-api.js';
import type { TestSystem } from './support/system.js';
import {
  AUDIENCE,
  type Bus,
  bearer,
  type ErrorReply,
  freshDevice,
  headerOf,
  ISSUER,
  loggedIn,
  login,
  register,
  SECRET,
  signInAdmin,
  withTokensSystem,
} from './support/tokens.js';
import { eventually } from './support/users.js';

type KeyView = { kid: string; alg: string; source: string; state: string; created: string | null; verify_until: string | null };
type KeyList = { algorithm: string; keys: KeyView[] };
type Imported = { kid: string; alg: string; state: string; retired: string[] };
type Refusal = ErrorReply & { data: { status: number; params?: Record<string, string> } };

const rsa = (bits: number, type: 'pkcs8' | 'pkcs1' = 'pkcs8') =>
  generateKeyPairSync('rsa', {
    modulusLength: bits,
    privateKeyEncoding: { type, format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
const ec = (namedCurve: string, type: 'pkcs8' | 'sec1' = 'pkcs8') =>
  generateKeyPairSync('ec', {
    namedCurve,
    privateKeyEncoding: { type, format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
/** A piece of a PEM's body no answer, log or event may ever hold. */
const markerOf = (pem: string) => pem.split('\n')[2] ?? '';

/**
 * An administrator's signing keys through the gateway: the list, and PEM private keys imported,
 * refused when unfit, published in the JWKS, signing when activated or at the next rotation, and
 * never seen again anywhere.
 */
describe('signing keys for administrators', () => {
  let system: TestSystem;
  let bus: Bus;
  let admin: string;
  let user: Awaited<ReturnType<typeof register>>;
  /** Every PEM sent, to look for afterwards. */
  const sent: string[] = [];

  withTokensSystem(async (started, opened) => {
    system = started;
    bus = opened;
    admin = await signInAdmin(system);
    user = await register(system);
  });

  const list = () => system.get<KeyList & Refusal>('/keys', bearer(admin));
  const importKey = (body: Record<string, unknown>, token = admin) => {
    if (typeof body.private_key === 'string') sent.push(body.private_key);
    return system.post<Imported & Refusal>('/keys/import', body, bearer(token));
  };
  const tokenOf = async () => (await loggedIn(login(system, user, freshDevice()))).token;
  const signedBy = (kid: string) =>
    eventually(async () => {
      const token = await tokenOf();
      return headerOf(token).kid === kid ? token : undefined;
    });
  const jwks = () => createRemoteJWKSet(new URL(`${system.url}/.well-known/jwks.json`), { cooldownDuration: 0 });

  it('lists the HS256 key of the environment, saying where it comes from and never what it is', async () => {
    const reply = await list();
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.body.algorithm).toBe('HS256');
    expect(reply.body.keys).toContainEqual({
      kid: expect.any(String),
      alg: 'HS256',
      source: 'environment',
      state: 'active',
      created: null,
      verify_until: null,
    });
    expect(JSON.stringify(reply.body)).not.toContain(SECRET);
    expect(headerOf(await tokenOf()).kid).toBe(reply.body.keys.find((k) => k.source === 'environment')?.kid);
  });

  it('is for administrators: a subscriber gets 403 on the list and the import', async () => {
    const token = await tokenOf();
    expect((await system.get<ErrorReply>('/keys', bearer(token))).body.code).toBe('headlesskey_forbidden');
    const refused = await importKey({ algorithm: 'ES256', private_key: ec('prime256v1').privateKey }, token);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('headlesskey_forbidden');
  });

  describe('refuses an unfit key with rest_invalid_param on private_key, and keeps nothing', () => {
    const encrypted = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'not given' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    const junk = '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----\n';
    it.each([
      ['a 1024-bit RSA key', 'RS256', rsa(1024).privateKey, /at least 2048/],
      ['a P-384 key', 'ES256', ec('secp384r1').privateKey, /P-256/],
      ['an EC key for RS256', 'RS256', ec('prime256v1').privateKey, /not an RSA key/],
      ['an RSA key for ES256', 'ES256', rsa(2048).privateKey, /not an EC key/],
      ['a public key', 'RS256', rsa(2048).publicKey, /public key/],
      ['an encrypted PEM', 'RS256', encrypted, /encrypted/],
      ['junk in a PEM block', 'ES256', junk, /not a readable PEM/],
      ['text that is no PEM', 'ES256', 'hello', /one PEM block/],
      ['16 KB', 'RS256', `${rsa(2048).privateKey}${'A'.repeat(16_384)}`, /at most/],
    ])('%s', async (_, algorithm, pem, reason) => {
      const before = (await list()).body.keys;
      const reply = await importKey({ algorithm, private_key: pem, activate: true });
      expect(reply.status).toBe(400);
      expect(reply.body.code).toBe('rest_invalid_param');
      expect(reply.body.data.params?.private_key).toMatch(reason);
      expect(JSON.stringify(reply.body)).not.toContain(markerOf(pem) || pem);
      expect((await list()).body.keys).toEqual(before);
    });

    it('an algorithm it cannot import', async () => {
      const reply = await importKey({ algorithm: 'HS256', private_key: ec('prime256v1').privateKey });
      expect(reply.status).toBe(400);
      expect(reply.body.data.params?.algorithm).toBeDefined();
    });
  });

  it('imports an RSA key (PKCS#1) and activates it: new RS256 tokens name it and verify against the JWKS', async () => {
    const { privateKey } = rsa(2048, 'pkcs1');
    const reply = await importKey({ algorithm: 'RS256', private_key: privateKey, activate: true });
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.body).toEqual({ kid: expect.any(String), alg: 'RS256', state: 'active', retired: [] });
    expect((await list()).body.keys).toContainEqual(expect.objectContaining({ kid: reply.body.kid, source: 'imported', state: 'active' }));
    await bus.setSetting('algorithm', 'RS256');
    const token = await signedBy(reply.body.kid);
    const { payload, protectedHeader } = await jwtVerify(token, jwks(), { issuer: ISSUER, audience: AUDIENCE });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: reply.body.kid });
    expect(payload.sub).toBeDefined();
    const published = (await system.request<{ keys: Record<string, unknown>[] }>('GET', '/.well-known/jwks.json')).body.keys;
    const jwk = published.find((k) => k.kid === reply.body.kid);
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwk).not.toHaveProperty(part);
  });

  it('refuses the same key twice, naming the kid it is kept as', async () => {
    const { privateKey } = ec('prime256v1');
    expect((await importKey({ algorithm: 'ES256', private_key: privateKey, activate: true })).status).toBe(200);
    const again = await importKey({ algorithm: 'ES256', private_key: privateKey });
    expect(again.status).toBe(400);
    expect(again.body.data.params?.private_key).toMatch(/already kept/);
  });

  it('imports an EC key (SEC1) without activating it: published now, signing from the next rotation', async () => {
    await bus.setSetting('algorithm', 'ES256');
    const live = (await list()).body.keys.find((k) => k.alg === 'ES256' && k.state === 'active')!;
    await signedBy(live.kid);
    const reply = await importKey({ algorithm: 'ES256', private_key: ec('prime256v1', 'sec1').privateKey });
    expect(reply.body).toEqual({ kid: expect.any(String), alg: 'ES256', state: 'next', retired: [] });
    expect((await list()).body.keys).toContainEqual(expect.objectContaining({ kid: reply.body.kid, source: 'imported', state: 'next' }));
    expect(headerOf(await tokenOf()).kid).toBe(live.kid);
    const kids = (await system.request<{ keys: { kid: string }[] }>('GET', '/.well-known/jwks.json')).body.keys.map((k) => k.kid);
    expect(kids).toContain(reply.body.kid);
    const rotated = await system.post<Imported>('/keys/rotate', undefined, bearer(admin));
    expect(rotated.body).toMatchObject({ kid: reply.body.kid, alg: 'ES256', retired: [live.kid] });
    const token = await signedBy(reply.body.kid);
    await jwtVerify(token, jwks(), { issuer: ISSUER, audience: AUDIENCE });
    const states = Object.fromEntries((await list()).body.keys.map((k) => [k.kid, k.state]));
    expect(states).toMatchObject({ [reply.body.kid]: 'active', [live.kid]: 'verifying_only' });
  });

  it('answers a retry with the same Idempotency-Key as the first time, keeping the key once', async () => {
    const body = { algorithm: 'ES256', private_key: ec('prime256v1').privateKey };
    sent.push(body.private_key);
    const headers = { ...bearer(admin), 'idempotency-key': `import-${freshDevice()}` };
    const first = await system.post<Imported>('/keys/import', body, headers);
    const again = await system.post<Imported>('/keys/import', body, headers);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await list()).body.keys.filter((k) => k.kid === first.body.kid)).toHaveLength(1);
  });

  it('never lets a key it was sent into an answer, a log, an event or the activity log', async () => {
    const markers = sent.map(markerOf).filter((m) => m.length >= 40);
    expect(markers.length).toBeGreaterThan(8);
    const logs = await system.get<unknown>('/logs?per_page=100', bearer(admin));
    expect(logs.status).toBe(200);
    const db = await serviceDb(system, 'tokens');
    let events: unknown[];
    try {
      events = (await db.query('select * from events')).rows;
    } finally {
      await db.end();
    }
    const output = system.processes.map((p) => p.output()).join('\n');
    expect(output).toContain('tokens');
    const seen = [output, JSON.stringify(events), JSON.stringify(logs.body), bus.raw.join('\n'), JSON.stringify((await list()).body)];
    for (const marker of markers) for (const text of seen) expect(text).not.toContain(marker);
  });
});
