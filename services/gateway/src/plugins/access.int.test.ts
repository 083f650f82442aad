import { DEFAULT_SETTINGS, type Settings } from '@headlesskey/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/harness.js';

/**
 * The access policy as the gateway enforces it, from the live settings it is given: read on each
 * request, applied before any command but the token check is sent.
 */
let h: Harness;
let app: FastifyInstance;
let settings: Settings = DEFAULT_SETTINGS;
const NS = '/wp-json/headlesskey/v1';
const CLAIMS = { iss: 'https://example.com', aud: 'headlesskey', iat: 1, nbf: 1, exp: 2, jti: 'j', sub: '7', sid: 's' };
const USER = { ID: 7, user_login: 'ada', user_email: 'ada@example.com', display_name: 'Ada', roles: ['subscriber'] };

const withAccess = (access: Record<string, unknown>) => {
  settings = { ...DEFAULT_SETTINGS, access: { ...DEFAULT_SETTINGS.access, ...access } as Settings['access'] };
};
/** A valid token signed with `roles`, of a user who holds `held` of them now. */
const validAs = (roles: string[], held: string[] = roles) => ({
  ok: true as const,
  data: { valid: true, data: { ...CLAIMS, data: { ID: 7, user_login: 'ada', roles } }, roles: held },
});
const me = (headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: `${NS}/me`, headers });
const bearer = { authorization: 'Bearer a.b.c' };

beforeAll(async () => {
  h = await startHarness();
  app = h.app({}, 2000, () => settings);
});
afterEach(async () => {
  settings = DEFAULT_SETTINGS;
  await h.reset();
});
afterAll(() => h.close());

describe('access policy from the live settings', () => {
  it('a route narrowed to a role refuses other roles with 403 before its command is sent', async () => {
    await h.respond('tokens', 'validate', () => validAs(['subscriber']));
    const getUser = await h.respond('identity', 'getUser', () => ({ ok: true, data: USER }));
    expect((await me(bearer)).statusCode).toBe(200);

    withAccess({ 'GET /me': ['administrator'] });
    const refused = await me(bearer);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'headlesskey_forbidden', data: { status: 403 } });
    expect(getUser).toHaveLength(1);
  });

  it('counts the roles the user holds now, not those the token was signed with', async () => {
    await h.respond('tokens', 'validate', () => validAs(['administrator', 'editor'], ['editor']));
    await h.respond('identity', 'getUser', () => ({ ok: true, data: USER }));
    withAccess({ 'GET /me': ['administrator'] });
    expect((await me(bearer)).statusCode).toBe(403);
    withAccess({ 'GET /me': ['editor'] });
    expect((await me(bearer)).statusCode).toBe(200);
  });

  it('the next request after a change already follows it', async () => {
    await h.respond('tokens', 'validate', () => validAs(['editor']));
    await h.respond('identity', 'getUser', () => ({ ok: true, data: USER }));
    withAccess({ 'GET /me': ['administrator', 'editor'] });
    expect((await me(bearer)).statusCode).toBe(200);
    withAccess({ 'GET /me': ['administrator'] });
    expect((await me(bearer)).statusCode).toBe(403);
    withAccess({ 'GET /me': 'authenticated' });
    expect((await me(bearer)).statusCode).toBe(200);
  });

  it('a public route narrowed to signed-in users wants a token, never lets one through anonymous', async () => {
    const validate = await h.respond('tokens', 'validate', () => ({ ok: false, error: { code: 'headlesskey_invalid_token' } }));
    const forgot = await h.respond('identity', 'forgotPassword', () => ({ ok: true, data: { message: 'sent' } }));
    const ask = (headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url: `${NS}/forgot-password`, payload: { login: 'ada', delivery: 'link' }, headers });
    expect((await ask()).statusCode).toBe(200);

    withAccess({ 'POST /forgot-password': 'authenticated' });
    const anonymous = await ask();
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect(anonymous.json().code).toBe('headlesskey_unauthorized');
    const badToken = await ask(bearer);
    expect(badToken.statusCode).toBe(401);
    expect(badToken.json()).toMatchObject({ code: 'headlesskey_invalid_token', data: { valid: false } });
    expect(validate).toHaveLength(1);
    expect(forgot).toHaveLength(1);
  });

  it('keeps a route closed when a setting that would open it got past identity', async () => {
    const logs = await h.respond('audit', 'queryLogs', () => ({ ok: true, data: { entries: [], next_cursor: null } }));
    await h.respond('tokens', 'validate', () => validAs(['subscriber']));
    withAccess({ 'GET /logs': 'public', 'GET /me': 'public' });
    expect((await app.inject({ method: 'GET', url: `${NS}/logs` })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: `${NS}/logs`, headers: bearer })).statusCode).toBe(403);
    expect((await me()).statusCode).toBe(401);
    expect(logs).toHaveLength(0);
  });

  it('applies to the legacy namespace alike', async () => {
    await h.respond('tokens', 'validate', () => validAs(['subscriber']));
    withAccess({ 'GET /me': ['administrator'] });
    const legacy = await app.inject({ method: 'GET', url: '/wp-json/wpauthapi/v1/me', headers: bearer });
    expect(legacy.statusCode).toBe(403);
  });
});
