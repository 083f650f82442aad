import { describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import {
  type Bus,
  bearer,
  claimsOf,
  freshDevice,
  type Issued,
  loggedIn,
  login,
  refresh,
  register,
  resign,
  validate,
  withTokensSystem,
} from './support/tokens.js';

/**
 * Refresh rotation (ASVS V10.4.5): every refresh is a new jti in the same session, the parent dies
 * at once, the parent again within the grace answers the same child, anything older is reuse.
 */
describe('token refresh', () => {
  let system: TestSystem;
  let bus: Bus;

  withTokensSystem((started, opened) => {
    system = started;
    bus = opened;
  });

  const session = async () => loggedIn(login(system, await register(system), freshDevice()));
  const refreshed = async (token: string) => {
    const reply = await refresh(system, token);
    if (reply.status !== 200) throw new Error(`refresh answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  };

  it('mints a new jti in the same session and kills the parent at once', async () => {
    const first = await session();
    const reply = await refresh(system, first.token);
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body).sort()).toEqual(['expiration', 'expires_in', 'jti', 'refreshable', 'token', 'user']);
    const child = reply.body;
    expect(child.jti).not.toBe(first.jti);
    expect(claimsOf(child.token).jti).toBe(child.jti);
    expect(claimsOf(child.token).sid).toBe(claimsOf(first.token).sid);
    expect(child.user.ID).toBe(first.user.ID);

    const parent = await validate(system, first.token);
    expect(parent.status).toBe(401);
    expect(parent.body).toMatchObject({ code: 'headlesskey_token_revoked', data: { valid: false } });
    expect((await system.get('/me', bearer(first.token))).status).toBe(401);
    expect((await validate(system, child.token)).body).toMatchObject({ valid: true, data: { jti: child.jti } });
  });

  it('keeps rotating: each child in turn is the only live token of the session', async () => {
    let current = await session();
    const sid = claimsOf(current.token).sid;
    const seen = new Set([current.jti]);
    for (let i = 0; i < 5; i++) {
      const next = await refreshed(current.token);
      expect(seen.has(next.jti)).toBe(false);
      seen.add(next.jti);
      expect(claimsOf(next.token).sid).toBe(sid);
      expect((await validate(system, current.token)).body.code).toBe('headlesskey_token_revoked');
      current = next;
    }
    expect((await validate(system, current.token)).status).toBe(200);
  });

  it('answers two tabs racing with the same child', async () => {
    const first = await session();
    const [a, b] = await Promise.all([refresh(system, first.token), refresh(system, first.token)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.jti).toBe(b.body.jti);
    expect(a.body.token).toBe(b.body.token);
    expect(a.body.jti).not.toBe(first.jti);
    expect((await validate(system, a.body.token)).status).toBe(200);
    expect((await validate(system, first.token)).body.code).toBe('headlesskey_token_revoked');
  });

  it('answers many parallel refreshes of one token with one child, and the session lives on', async () => {
    const first = await session();
    const replies = await Promise.all(Array.from({ length: 6 }, () => refresh(system, first.token)));
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    expect(new Set(replies.map((r) => r.body.jti)).size).toBe(1);
    const child = replies[0]!.body;
    expect((await validate(system, child.token)).status).toBe(200);
    expect(bus.events.some((e) => e.type === 'token.reuse_detected' && e.data.session_id === claimsOf(first.token).sid)).toBe(false);
    // The raced child rotates as usual.
    const grandchild = await refreshed(child.token);
    expect((await validate(system, grandchild.token)).status).toBe(200);
  });

  it('answers the immediate parent presented again within the grace with the same child', async () => {
    const first = await session();
    const child = await refreshed(first.token);
    const again = await refresh(system, first.token);
    expect(again.status).toBe(200);
    expect(again.body.jti).toBe(child.jti);
    expect((await validate(system, child.token)).status).toBe(200);
  });

  it('treats an older token as reuse: the whole session dies and token.reuse_detected is raised', async () => {
    const t0 = await session();
    const t1 = await refreshed(t0.token);
    const t2 = await refreshed(t1.token);
    const sid = claimsOf(t0.token).sid;

    const reuse = await refresh(system, t0.token);
    expect(reuse.status).toBe(401);
    expect(reuse.body).toMatchObject({ code: 'headlesskey_token_revoked', data: { valid: false } });
    // The thief's newest token and the owner's both die with the session.
    for (const token of [t2.token, t1.token, t0.token]) {
      expect((await validate(system, token)).body).toMatchObject({ code: 'headlesskey_token_revoked', data: { valid: false } });
    }
    expect((await refresh(system, t2.token)).status).toBe(401);
    const detected = await bus.waitForEvent('token.reuse_detected', (e) => e.data.session_id === sid);
    expect(detected.data).toMatchObject({ user_id: t0.user.ID, presented_jti: t0.jti });
    await bus.waitForEvent('token.revoked', (e) => e.data.session_id === sid && e.data.reason === 'reuse');
  });

  it('treats the parent of a parent as reuse even inside the grace', async () => {
    const t0 = await session();
    const t1 = await refreshed(t0.token);
    await refreshed(t1.token);
    // t1 is the immediate parent; t0 is not, though it is seconds old.
    expect((await refresh(system, t0.token)).body.code).toBe('headlesskey_token_revoked');
    expect((await refresh(system, t1.token)).status).toBe(401);
  });

  it('refreshes an expired token while the session’s refresh window is open', async () => {
    const first = await session();
    const now = Math.floor(Date.now() / 1000);
    // The same session and jti, expired a minute ago: what a client holds after an idle hour.
    const expired = await resign(first.token, { iat: now - 120, nbf: now - 120, exp: now - 60 });
    const checked = await validate(system, expired);
    expect(checked.status).toBe(401);
    expect(checked.body).toMatchObject({ code: 'headlesskey_token_expired', data: { valid: false } });

    const reply = await refresh(system, expired);
    expect(reply.status).toBe(200);
    expect(reply.body.refreshable).toBe(true);
    expect(reply.body.expires_in).toBeGreaterThan(0);
    expect(claimsOf(reply.body.token).sid).toBe(claimsOf(first.token).sid);
    expect(reply.body.jti).not.toBe(first.jti);
    expect((await validate(system, reply.body.token)).status).toBe(200);
    expect((await validate(system, first.token)).body.code).toBe('headlesskey_token_revoked');
  });

  it('refuses an expired token whose jti was already rotated: reuse, not a second child', async () => {
    const first = await session();
    const child = await refreshed(first.token);
    await refreshed(child.token);
    const now = Math.floor(Date.now() / 1000);
    const expiredParent = await resign(first.token, { iat: now - 120, nbf: now - 120, exp: now - 60 });
    expect((await refresh(system, expiredParent)).body.code).toBe('headlesskey_token_revoked');
    await bus.waitForEvent('token.reuse_detected', (e) => e.data.presented_jti === first.jti);
  });

  it('refuses to refresh a revoked or ended session', async () => {
    const first = await session();
    expect((await system.post('/token/revoke', { token: first.token })).status).toBe(200);
    const reply = await refresh(system, first.token);
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ code: 'headlesskey_token_revoked', data: { valid: false } });
  });

  it('answers the refreshed user fresh, with the same claims shape as a login', async () => {
    const first = await session();
    const child = (await refreshed(first.token)) as Issued;
    const [a, b] = [claimsOf(first.token), claimsOf(child.token)];
    expect(b).toMatchObject({ iss: a.iss, aud: a.aud, sub: a.sub, sid: a.sid, data: a.data });
    expect(b.exp! - b.iat!).toBe(3600);
    expect(b.nbf).toBe(b.iat);
  });
});
