import { beforeAll, describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import {
  type Bus,
  batchSizes,
  claimsOf,
  type Issued,
  refresh,
  register,
  resign,
  revoke,
  sessionsOf,
  validate,
  withTokensSystem,
} from './support/tokens.js';

/**
 * A busy gateway coalesces concurrent refreshes into `refreshMany` commands, decided in one
 * read and one write. Whatever batch a refresh lands in, its answer is its own: rotations, racing tabs,
 * reuse, ended sessions, expired and forged tokens side by side each get what they would alone.
 */
describe('refresh under concurrency', () => {
  let system: TestSystem;
  let bus: Bus;
  let batches: number[];

  withTokensSystem((started, opened) => {
    system = started;
    bus = opened;
  });
  beforeAll(async () => {
    batches = await batchSizes(bus, system, 'refreshMany');
  });

  async function rotated(token: string): Promise<Issued> {
    const reply = await refresh(system, token);
    if (reply.status !== 200) throw new Error(`refresh answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  it('answers each refresh of a burst as if it came alone, in fewer commands than requests', async () => {
    const user = await register(system);
    const [racing, reused, ended, expiredOne, ...live] = await sessionsOf(system, user, 12);
    // The grandparent of the current token: reuse even inside the grace.
    const reusedChild = await rotated((await rotated(reused!.token)).token);
    expect((await revoke(system, ended!.token)).status).toBe(200);
    // Expired, but its session's refresh window is open: it still refreshes.
    const expired = await resign(expiredOne!.token, { exp: Math.floor(Date.now() / 1000) - 60 });
    const forged = `${live[0]!.token.slice(0, -4)}AAAA`;
    const burst = [...live.map((s) => s.token), racing!.token, racing!.token, reused!.token, ended!.token, expired, forged];
    batches.length = 0;

    const replies = await Promise.all(burst.map((token) => refresh(system, token)));
    // Every command the burst sent reached this subscriber before the PONG of a flush.
    await bus.nc.flush();
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(burst.length);
    expect(batches.length).toBeLessThan(burst.length);
    const answer = (i: number) => ({ status: replies[i]!.status, code: replies[i]!.body.code });

    for (const [i, session] of live.entries()) {
      expect(answer(i)).toEqual({ status: 200, code: undefined });
      const child = replies[i]!.body;
      expect(claimsOf(child.token).sid).toBe(claimsOf(session.token).sid);
      expect(child.jti).not.toBe(session.jti);
      expect((await validate(system, child.token)).status).toBe(200);
      expect((await validate(system, session.token)).status).toBe(401);
    }
    const n = live.length;
    // Two tabs racing in one burst: one rotation, both answered the same child, which lives on.
    expect([answer(n), answer(n + 1)]).toEqual([
      { status: 200, code: undefined },
      { status: 200, code: undefined },
    ]);
    expect(replies[n]!.body.jti).toBe(replies[n + 1]!.body.jti);
    await rotated(replies[n]!.body.token);
    // A rotated-away token is reuse: the session ends with it.
    expect(answer(n + 2)).toEqual({ status: 401, code: 'headlesskey_token_revoked' });
    expect((await validate(system, reusedChild.token)).status).toBe(401);
    await bus.waitForEvent('token.reuse_detected', (e) => e.data.session_id === claimsOf(reused!.token).sid);
    expect(answer(n + 3)).toEqual({ status: 401, code: 'headlesskey_token_revoked' });
    expect(answer(n + 4)).toEqual({ status: 200, code: undefined });
    expect(answer(n + 5)).toEqual({ status: 401, code: 'headlesskey_invalid_token' });
  });

  it('raises one token.refreshed per rotation, each on its own session, with the session’s device', async () => {
    const user = await register(system);
    const sessions = await sessionsOf(system, user, 6);
    const replies = await Promise.all(sessions.map((s) => rotated(s.token)));
    for (const [i, child] of replies.entries()) {
      const sid = claimsOf(sessions[i]!.token).sid;
      const event = await bus.waitForEvent('token.refreshed', (e) => e.data.session_id === sid);
      expect(event.data).toMatchObject({ jti: child.jti, parent_jti: sessions[i]!.jti, user_id: user.id });
      expect(event.meta.device).toBe((await bus.waitForEvent('token.issued', (e) => e.data.session_id === sid)).data.device);
      expect(bus.events.filter((e) => e.type === 'token.refreshed' && e.data.session_id === sid)).toHaveLength(1);
    }
  });
});
