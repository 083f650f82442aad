import { beforeAll, describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import {
  ADMIN,
  type Bus,
  bearer,
  claimsOf,
  del,
  freshDevice,
  loggedIn,
  login,
  refresh,
  register,
  resign,
  revoke,
  sessions,
  validate,
  withTokensSystem,
} from './support/tokens.js';

const REVOKED = { code: 'headlesskey_token_revoked', data: { status: 401, valid: false } };

/** Logout and every other end of a session: seen by the very next call that takes the token. */
describe('token revocation', () => {
  let system: TestSystem;
  let bus: Bus;
  let adminToken: string;

  withTokensSystem((started, opened) => {
    system = started;
    bus = opened;
  });
  beforeAll(async () => {
    adminToken = (await loggedIn(login(system, ADMIN, freshDevice('admin')))).token;
  });

  const session = async (user?: Awaited<ReturnType<typeof register>>) =>
    loggedIn(login(system, user ?? (await register(system)), freshDevice()));

  it('kills the token for validate, protected routes and refresh from the moment it answers', async () => {
    const { token } = await session();
    expect((await system.get('/me', bearer(token))).status).toBe(200);
    const reply = await revoke(system, token);
    expect(reply).toMatchObject({ status: 200, body: { message: 'Token revoked successfully.' } });
    expect((await validate(system, token)).body).toMatchObject(REVOKED);
    expect((await system.get('/me', bearer(token))).body).toMatchObject(REVOKED);
    expect((await system.get('/sessions', bearer(token))).body).toMatchObject(REVOKED);
    expect((await refresh(system, token)).body).toMatchObject(REVOKED);
  });

  it('answers 200 to a second revoke, and to a revoke of an ended session', async () => {
    const { token } = await session();
    expect((await revoke(system, token)).status).toBe(200);
    expect((await revoke(system, token)).status).toBe(200);
    const other = await session();
    await del(system, `/sessions/${claimsOf(other.token).sid}`, bearer(other.token));
    expect((await revoke(system, other.token)).status).toBe(200);
  });

  it('ends only the session of the token: the user’s other devices stay signed in', async () => {
    const user = await register(system);
    const [a, b] = [await session(user), await session(user)];
    await revoke(system, a.token);
    expect((await validate(system, a.token)).status).toBe(401);
    expect((await validate(system, b.token)).status).toBe(200);
    expect((await sessions(system, b.token)).body.sessions.map((s) => s.id)).toEqual([claimsOf(b.token).sid]);
  });

  it('is keyed on the jti, not the token’s bytes: a re-encoded copy revokes the original', async () => {
    const { token } = await session();
    // Same claims, same jti, same secret; other bytes (a claim the verifier ignores).
    const copy = await resign(token, { note: 'copy' });
    expect(copy).not.toBe(token);
    expect(claimsOf(copy).jti).toBe(claimsOf(token).jti);
    expect((await revoke(system, copy)).status).toBe(200);
    expect((await validate(system, token)).body).toMatchObject(REVOKED);
    expect((await validate(system, copy)).body).toMatchObject(REVOKED);
  });

  it('takes an expired token, so a client can log out after an idle hour', async () => {
    const { token } = await session();
    const now = Math.floor(Date.now() / 1000);
    const expired = await resign(token, { iat: now - 7200, nbf: now - 7200, exp: now - 3600 });
    expect((await revoke(system, expired)).status).toBe(200);
    // The unexpired original of the same jti is dead too.
    expect((await validate(system, token)).body).toMatchObject(REVOKED);
  });

  it('refuses a forged token with 401 headlesskey_invalid_token and leaves the session alone', async () => {
    const { token } = await session();
    const [h, p] = token.split('.');
    const reply = await revoke(system, `${h}.${p}.${'A'.repeat(43)}`);
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ code: 'headlesskey_invalid_token', data: { valid: false } });
    expect((await validate(system, token)).status).toBe(200);
  });

  it('after a refresh, revoking the child ends the session: the parent cannot refresh it back', async () => {
    const first = await session();
    const child = (await refresh(system, first.token)).body;
    expect((await revoke(system, child.token)).status).toBe(200);
    expect((await validate(system, child.token)).body).toMatchObject(REVOKED);
    // Within the grace, the parent would answer the child; the session is over, so it does not.
    expect((await refresh(system, first.token)).body).toMatchObject(REVOKED);
  });

  it('raises token.revoked for a logout, with the session and the reason', async () => {
    const { token, user } = await session();
    await revoke(system, token);
    const sid = claimsOf(token).sid;
    const event = await bus.waitForEvent('token.revoked', (e) => e.data.session_id === sid);
    expect(event.data).toEqual({ user_id: user.ID, session_id: sid, reason: 'logout' });
  });

  it('admin end-all: every session’s token fails validate when the answer arrives', async () => {
    const user = await register(system);
    const held = await Promise.all(Array.from({ length: 4 }, () => session(user)));
    // One of them mid-rotation: its child must die as well.
    held[0] = (await refresh(system, held[0]!.token)).body;
    const ended = await del(system, `/users/${user.id}/sessions`, bearer(adminToken));
    expect(ended).toMatchObject({ status: 200, body: { ended: 4 } });
    const checks = await Promise.all(held.map((t) => validate(system, t.token)));
    for (const check of checks) expect(check.body).toMatchObject(REVOKED);
    for (const t of held) expect((await refresh(system, t.token)).body).toMatchObject(REVOKED);
    const sids = new Set(held.map((t) => claimsOf(t.token).sid));
    await bus.waitForEvent('token.revoked', (e) => sids.has(String(e.data.session_id)) && e.data.reason === 'admin');
    // The user can log in again afterwards.
    expect((await validate(system, (await session(user)).token)).status).toBe(200);
  });

  it('admin end-all of a user with no session answers 0 and changes nothing else', async () => {
    const user = await register(system);
    const other = await session();
    const ended = await del(system, `/users/${user.id}/sessions`, bearer(adminToken));
    expect(ended).toMatchObject({ status: 200, body: { ended: 0 } });
    expect((await validate(system, other.token)).status).toBe(200);
  });
});
