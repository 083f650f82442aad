import { type AuthEvent, createClient, type HeadlessKeyClient, HeadlessKeyError, memoryStore, type Session } from '@headlesskey/client';
import { describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import { type Bus, claimsOf, resign, withTokensSystem } from './support/tokens.js';
import { newUser } from './support/users.js';

/**
 * `@headlesskey/client` against the running system: each typed call reaches its route and gets
 * its answer, a refusal arrives as the server's own code and status, and the session the client
 * keeps follows what the server did to it.
 */
describe('createClient from @headlesskey/client', () => {
  let system: TestSystem;
  let bus: Bus;
  withTokensSystem((started, opened) => {
    system = started;
    bus = opened;
  });

  const clientOf = (store = memoryStore()) => createClient({ url: system.apiUrl, store, crossTab: false, autoRefresh: false });
  const eventsOf = (client: HeadlessKeyClient) => {
    const seen: AuthEvent[] = [];
    client.onAuthStateChange((event) => seen.push(event));
    return seen;
  };
  const failure = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HeadlessKeyError);
    return err as HeadlessKeyError;
  };
  const registered = async (client = clientOf()) => {
    const user = newUser('client');
    await client.register(user);
    return { client, user };
  };

  it('registers and is signed in: /me, /sessions and /token/validate answer for the session', async () => {
    const client = clientOf();
    const events = eventsOf(client);
    const user = newUser('client');
    const reply = await client.register({ ...user, name: 'Ada Lovelace' });
    expect(reply.user).toMatchObject({ user_login: user.username, display_name: 'Ada Lovelace', roles: ['subscriber'] });
    expect(events).toEqual(['signed_in']);
    expect(client.session?.token).toBe(reply.token_response.token);
    expect(await client.me()).toEqual(reply.user);
    const { sessions } = await client.sessions();
    expect(sessions.filter((s) => s.current).map((s) => s.id)).toEqual([client.session?.sessionId]);
    expect((await client.validate()).data).toMatchObject({ sid: client.session?.sessionId, data: { user_login: user.username } });
  });

  it('logs in at /token and /login; the device secret is kept and sent on the next login', async () => {
    const { user } = await registered();
    const store = memoryStore();
    const client = clientOf(store);
    const first = await client.login({ username: user.username, password: user.password, device: 'laptop' });
    expect(Object.keys(first).sort()).toEqual(['device_secret', 'expiration', 'expires_in', 'jti', 'refreshable', 'token', 'user']);
    expect(await store.get('headlesskey.session.device')).toBe(first.device_secret);
    const profile = await client.loginProfile({ username: user.email, password: user.password, device: 'laptop' });
    expect(Object.keys(profile).sort()).toEqual(['device_secret', 'expiration', 'expires_in', 'token', 'user']);
    expect(client.session?.token).toBe(profile.token);
    // The named device took its session back.
    expect(claimsOf(profile.token).sid).toBe(claimsOf(first.token).sid);
  });

  it('refresh rotates the token: the old one is refused as revoked, with the server’s code and status', async () => {
    const { client } = await registered();
    const events = eventsOf(client);
    const old = client.session!.token;
    const next = await client.refresh();
    expect(next?.token).not.toBe(old);
    expect(events).toEqual(['refreshed']);
    const refused = await failure(client.validate(old));
    expect(refused).toMatchObject({ code: 'headlesskey_token_revoked', status: 401, data: { status: 401, valid: false } });
    expect((await client.validate()).valid).toBe(true);
  });

  it('a token expired on the server is refreshed once and the calls go on, however many were in flight', async () => {
    const { client: first } = await registered();
    const live = first.session!;
    const now = Math.floor(Date.now() / 1000);
    // The same session's token, run out — kept as though it still had an hour, so the server is the one to say so.
    const expired = await resign(live.token, { iat: now - 120, nbf: now - 120, exp: now - 60 });
    const store = memoryStore();
    await store.set(
      'headlesskey.session',
      JSON.stringify({ ...live, token: expired, expiresAt: Date.now() + 3_600_000 } satisfies Session),
    );
    const client = clientOf(store);
    const users = await Promise.all([client.me(), client.me(), client.sessions(), client.me()]);
    expect(users[0]).toEqual(live.user);
    const rotations = () => bus.events.filter((e) => e.type === 'token.refreshed' && e.data.session_id === live.sessionId);
    await bus.waitForEvent('token.refreshed', (e) => e.data.session_id === live.sessionId);
    expect(rotations()).toHaveLength(1);
    expect((await client.authFetch(`${system.apiUrl}/me`)).status).toBe(200);
    expect(bus.events.some((e) => e.type === 'token.reuse_detected' && e.data.session_id === live.sessionId)).toBe(false);
  });

  it('a session ended from another device surfaces as session_ended, and the call fails as the server answered', async () => {
    const { client, user } = await registered();
    const events = eventsOf(client);
    const other = clientOf();
    await other.login({ username: user.username, password: user.password });
    expect((await other.endSession(client.session!.sessionId)).ended).toBe(true);
    expect(await failure(client.me())).toMatchObject({ code: 'headlesskey_token_revoked', status: 401 });
    expect(events).toEqual(['session_ended']);
    expect(client.session).toBeNull();
    expect(await failure(client.me())).toMatchObject({ code: 'headlesskey_unauthorized', status: 401 });
    // Ending its own session signs a client out.
    const mine = other.session!.sessionId;
    const otherEvents = eventsOf(other);
    expect(await other.endSession(mine)).toEqual({ ended: true });
    expect(otherEvents).toEqual(['signed_out']);
  });

  it('logout revokes the session on the server and signs out here', async () => {
    const { client } = await registered();
    const events = eventsOf(client);
    const token = client.session!.token;
    await client.logout();
    expect(events).toEqual(['signed_out']);
    expect(client.session).toBeNull();
    expect(await failure(client.validate(token))).toMatchObject({ code: 'headlesskey_token_revoked', status: 401 });
  });

  it('password routes: forgot, reset with a bad code, change (which signs out)', async () => {
    const { client, user } = await registered();
    expect(await client.forgotPassword({ login: user.username, delivery: 'otp' })).toEqual({ message: 'Password reset email sent.' });
    expect(await failure(client.resetPassword({ login: user.username, password: 'a brand new passphrase', otp: '000000' }))).toMatchObject({
      code: 'headlesskey_invalid_reset',
      status: 400,
    });
    expect(await failure(client.changePassword({ current_password: 'not it at all, no', new_password: 'x'.repeat(20) }))).toMatchObject({
      code: 'headlesskey_incorrect_password',
      status: 403,
    });
    const events = eventsOf(client);
    const reply = await client.changePassword({ current_password: user.password, new_password: 'another fine passphrase here' });
    expect(reply.message).toBe('Password changed successfully. Please login again.');
    expect(events).toEqual(['signed_out']);
    await client.login({ username: user.username, password: 'another fine passphrase here' });
  });

  it('email routes answer, and a bad key is the server’s own refusal', async () => {
    const { client, user } = await registered();
    expect((await client.resendVerification({ login: user.username })).message).toBeTypeOf('string');
    expect(await failure(client.verifyEmail({ login: user.username, otp: '123456' }))).toMatchObject({
      code: 'headlesskey_invalid_verification',
      status: 400,
    });
  });

  it('refusals carry the server’s codes unchanged, status 0 when nothing answered', async () => {
    const { user } = await registered();
    const client = clientOf();
    expect(await failure(client.login({ username: user.username, password: 'wrong password entirely' }))).toMatchObject({
      code: 'headlesskey_invalid_credentials',
      status: 403,
      data: { status: 403 },
    });
    expect(await failure(client.register(user))).toMatchObject({ code: 'headlesskey_user_exists', status: 409 });
    expect(await failure(client.register({ ...newUser('client'), password: 'short' }))).toMatchObject({
      code: 'headlesskey_weak_password',
      status: 400,
    });
    const missing = await failure(client.login({ username: user.username } as never));
    expect(missing).toMatchObject({ code: 'rest_missing_callback_param', status: 400, data: { params: ['password'] } });
    expect(await failure(client.ssoExchange({ site_key: 'nowhere', token: 'a.b.c', signature: 'ab' }))).toMatchObject({
      code: 'headlesskey_sso_unknown_site',
      status: 401,
    });
    const offline = createClient({ url: 'http://127.0.0.1:9/wp-json/headlesskey/v1', crossTab: false });
    expect(await failure(offline.login({ username: 'a', password: 'b' }))).toMatchObject({ code: 'headlesskey_unavailable', status: 0 });
  });
});
