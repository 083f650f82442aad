import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { backendUrls } from './support/instance.js';
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
  refresh,
  register,
  signInAdmin,
  TOKENS_ENV,
  validate,
  withTokensSystem,
} from './support/tokens.js';
import { eventually } from './support/users.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('..', import.meta.url));
/** No HEADLESSKEY_SECRET_KEY: the HS256 secret is generated and kept like the other keys. */
const { HEADLESSKEY_SECRET_KEY: _, ...ENV } = TOKENS_ENV;

type Rotated = { kid: string; alg: string; retired: string[] };

/**
 * Key rotation, by the API and by the operator's CLI: the new key signs from the answer on, and
 * every token the old one signed still validates (its public half stays in the JWKS).
 */
describe('key rotation', () => {
  let system: TestSystem;
  let bus: Bus;
  let adminToken: string;
  let user: Awaited<ReturnType<typeof register>>;
  /** Tokens of keys retired along the way, checked again after a restart. */
  const retired: string[] = [];

  withTokensSystem(async (started, opened) => {
    system = started;
    bus = opened;
    adminToken = await signInAdmin(system);
    user = await register(system);
  }, ENV);

  const token = async () => (await loggedIn(login(system, user, freshDevice()))).token;
  const rotate = () => system.post<Rotated & ErrorReply>('/keys/rotate', undefined, bearer(adminToken));
  const jwks = async () => (await system.request<{ keys: { kid: string }[] }>('GET', '/.well-known/jwks.json')).body;
  const valid = async (t: string) => (await validate(system, t)).body.valid === true;

  it('is for administrators: a subscriber gets 403 headlesskey_forbidden', async () => {
    const reply = await system.post<ErrorReply>('/keys/rotate', undefined, bearer(await token()));
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('headlesskey_forbidden');
  });

  it('rotates a generated HS256 secret: the old token validates, new ones name the new kid, the JWKS shows neither', async () => {
    const before = await token();
    retired.push(before);
    const reply = await rotate();
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ kid: expect.any(String), alg: 'HS256', retired: [headerOf(before).kid] });
    expect(reply.body.kid).not.toBe(headerOf(before).kid);
    expect(await valid(before)).toBe(true);
    expect(headerOf(await token())).toMatchObject({ alg: 'HS256', kid: reply.body.kid });
    const kids = (await jwks()).keys.map((k) => k.kid);
    expect(kids).not.toContain(reply.body.kid);
    expect(kids).not.toContain(headerOf(before).kid);
  });

  it('lists the generated HS256 secret as generated, and shows nothing of it', async () => {
    const listed = await system.get<{ keys: Record<string, unknown>[] }>('/keys', bearer(adminToken));
    expect(listed.status).toBe(200);
    const hs256 = listed.body.keys.filter((k) => k.alg === 'HS256');
    expect(hs256).toContainEqual(expect.objectContaining({ kid: headerOf(await token()).kid, source: 'generated', state: 'active' }));
    expect(hs256.some((k) => k.source === 'environment')).toBe(false);
    const fields = ['alg', 'created', 'kid', 'source', 'state', 'verify_until'];
    for (const key of listed.body.keys) expect(Object.keys(key).sort()).toEqual(fields);
  });

  it('rotates ES256 by the API: the retired public key stays published and still verifies its tokens', async () => {
    await bus.setSetting('algorithm', 'ES256');
    const before = await eventually(async () => {
      const t = await token();
      return headerOf(t).alg === 'ES256' ? t : undefined;
    });
    const oldKid = headerOf(before).kid!;
    retired.push(before);
    const reply = await rotate();
    expect(reply.body).toEqual({ kid: expect.any(String), alg: 'ES256', retired: [oldKid] });
    const after = await token();
    expect(headerOf(after)).toMatchObject({ alg: 'ES256', kid: reply.body.kid });
    const set = await jwks();
    expect(set.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, reply.body.kid]));
    for (const t of [before, after]) {
      await jwtVerify(t, createLocalJWKSet(set as Parameters<typeof createLocalJWKSet>[0]), { issuer: ISSUER, audience: AUDIENCE });
      expect(await valid(t)).toBe(true);
    }
  });

  it('refreshes a token of a retired key into a token of the new key', async () => {
    const before = await token();
    const { body } = await rotate();
    const child = await refresh(system, before);
    expect(child.status).toBe(200);
    expect(headerOf(child.body.token).kid).toBe(body.kid);
    expect(await valid(child.body.token)).toBe(true);
  });

  it('rotates by the CLI: `npm run rotate-key -w @headlesskey/tokens`', async () => {
    const before = await token();
    const { stdout } = await run('npm', ['run', '--silent', 'rotate-key', '-w', '@headlesskey/tokens'], {
      cwd: REPO,
      env: { ...process.env, HEADLESSKEY_INSTANCE: system.instance, NATS_URL: backendUrls().natsUrl },
    });
    const rotated = JSON.parse(stdout.trim()) as Rotated;
    expect(rotated).toEqual({ kid: expect.any(String), alg: 'ES256', retired: [headerOf(before).kid] });
    expect(headerOf(await token()).kid).toBe(rotated.kid);
    expect(await valid(before)).toBe(true);
    expect((await jwks()).keys.map((k) => k.kid)).toContain(rotated.kid);
  });

  it('the CLI says what went wrong and exits 1 when nothing answers', async () => {
    const failed = await run('npm', ['run', '--silent', 'rotate-key', '-w', '@headlesskey/tokens'], {
      cwd: REPO,
      env: { ...process.env, HEADLESSKEY_INSTANCE: 'nobody_here', NATS_URL: backendUrls().natsUrl },
    }).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('headlesskey_unavailable');
  });

  it('keeps every key across a restart: old tokens validate, the newest key still signs', async () => {
    const before = await token();
    const kid = headerOf(before).kid;
    await system.restart('tokens');
    for (const t of [before, ...retired]) expect(await valid(t), headerOf(t).alg).toBe(true);
    expect(headerOf(await token()).kid).toBe(kid);
  });
});
