import { describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import {
  type Bus,
  claimsOf,
  type ErrorReply,
  freshDevice,
  type Issued,
  loggedIn,
  login,
  refresh,
  register,
  sessions,
  validate,
  withTokensSystem,
} from './support/tokens.js';
import { eventually, newUser } from './support/users.js';

type User = Awaited<ReturnType<typeof register>>;

/** A session is a device: its name, its slot, and the limit on how many a user holds at once. */
describe('device sessions', () => {
  let system: TestSystem;
  let bus: Bus;

  withTokensSystem((started, opened) => {
    system = started;
    bus = opened;
  });

  /** Which tokens still validate. */
  const live = async (tokens: Issued[]) => {
    const replies = await Promise.all(tokens.map((t) => validate(system, t.token)));
    return tokens.filter((_, i) => replies[i]!.status === 200);
  };
  const devicesOf = async (token: string) => (await sessions(system, token)).body.sessions.map((s) => s.device).sort();

  /**
   * Sets the device limit and policy, then waits until a throwaway user sees them: the limit's
   * next device refused (`reject`) or the oldest device's token dead (`evict_oldest`).
   */
  async function deviceLimit(limit: number, policy: 'reject' | 'evict_oldest') {
    await bus.setSetting('device_policy', policy);
    await bus.setSetting('device_limit', limit);
    const probe = await register(system, 'probe');
    const held = await Promise.all(Array.from({ length: limit }, () => loggedIn(login(system, probe, freshDevice('probe')))));
    await eventually(
      async () => {
        const next = await login(system, probe, freshDevice('probe'));
        if (policy === 'reject') return next.status === 409 ? true : undefined;
        held.push(next.body);
        return (await live(held)).length === limit ? true : undefined;
      },
      10_000,
      `device_limit ${limit} (${policy})`,
    );
  }

  describe('without a limit', () => {
    it('shows the device from `device` in the body, else X-Device-Id, else the User-Agent', async () => {
      const user = await register(system);
      const body = freshDevice('body');
      const header = freshDevice('header');
      const agent = `Agent/${freshDevice()}`;
      await loggedIn(login(system, user, body, { 'x-device-id': 'not-this-one', 'user-agent': agent }));
      await loggedIn(login(system, user, undefined, { 'x-device-id': header, 'user-agent': agent }));
      const last = await loggedIn(login(system, user, undefined, { 'user-agent': agent }));
      expect(await devicesOf(last.token)).toEqual([agent, body, header].sort());
    });

    it('reuses the slot of a device that logs in again, and the older token of that device dies', async () => {
      const user = await register(system);
      const phone = freshDevice('phone');
      const laptop = await loggedIn(login(system, user, freshDevice('laptop')));
      const first = await loggedIn(login(system, user, phone));
      const again = await loggedIn(login(system, user, phone));
      expect(claimsOf(again.token).sid).toBe(claimsOf(first.token).sid);
      expect(again.jti).not.toBe(first.jti);
      expect((await validate(system, first.token)).body).toMatchObject({ code: 'headlesskey_token_revoked', data: { valid: false } });
      expect((await validate(system, again.token)).status).toBe(200);
      expect((await validate(system, laptop.token)).status).toBe(200);
      const list = (await sessions(system, again.token)).body.sessions;
      expect(list.filter((s) => s.device === phone)).toHaveLength(1);
      expect(list).toHaveLength(2);
    });

    it('takes the device slot back through X-Device-Id, never through the User-Agent', async () => {
      const user = await register(system);
      const id = freshDevice('header');
      const agent = `Agent/${freshDevice()}`;
      const a = await loggedIn(login(system, user, undefined, { 'x-device-id': id }));
      const b = await loggedIn(login(system, user, undefined, { 'x-device-id': id }));
      const c = await loggedIn(login(system, user, undefined, { 'user-agent': agent }));
      const d = await loggedIn(login(system, user, undefined, { 'user-agent': agent }));
      expect(claimsOf(b.token).sid).toBe(claimsOf(a.token).sid);
      // Two tabs, or two machines with one browser version: one User-Agent, two sessions.
      expect(claimsOf(d.token).sid).not.toBe(claimsOf(c.token).sid);
      expect((await live([a, b, c, d])).map((t) => t.jti)).toEqual([b.jti, c.jti, d.jti]);
      expect(await devicesOf(d.token)).toEqual([agent, agent, id].sort());
    });

    it('keeps the session registration opened when the same browser then logs in', async () => {
      const user = newUser('reg');
      const agent = `Agent/${freshDevice()}`;
      const registered = await system.post<{ token_response: { token: string } }>('/register', user, { 'user-agent': agent });
      expect(registered.status).toBe(201);
      const loggedInAfter = await loggedIn(login(system, user, undefined, { 'user-agent': agent }));
      expect((await validate(system, registered.body.token_response.token)).status).toBe(200);
      expect((await validate(system, loggedInAfter.token)).status).toBe(200);
    });

    it('lists each session with its IP, device, created and last seen; a refresh moves last seen', async () => {
      const user = await register(system);
      const device = freshDevice();
      const first = await loggedIn(login(system, user, device));
      const [before] = (await sessions(system, first.token)).body.sessions;
      expect(before).toMatchObject({ id: claimsOf(first.token).sid, device, current: true });
      expect(before!.ip).toContain('127.0.0.1');
      const child = (await refresh(system, first.token)).body;
      const [after] = (await sessions(system, child.token)).body.sessions;
      expect(after!.created).toBe(before!.created);
      expect(Date.parse(after!.last_seen)).toBeGreaterThan(Date.parse(before!.last_seen));
    });
  });

  describe('with a limit', () => {
    it('`reject` refuses a device past the limit with 409 headlesskey_device_limit, but not a device it knows', async () => {
      await deviceLimit(2, 'reject');
      const user = await register(system);
      const phone = freshDevice('phone');
      const a = await loggedIn(login(system, user, phone));
      const b = await loggedIn(login(system, user, freshDevice('laptop')));
      const refused = await login(system, user, freshDevice('tablet'));
      expect(refused.status).toBe(409);
      expect((refused.body as ErrorReply).code).toBe('headlesskey_device_limit');
      const again = await login(system, user, phone);
      expect(again.status).toBe(200);
      expect((await live([a, b, again.body])).map((t) => t.jti)).toEqual([b.jti, again.body.jti]);
    });

    it('`reject`: N+1 parallel logins from distinct devices leave exactly N live sessions', async () => {
      await deviceLimit(3, 'reject');
      const user = await register(system);
      const replies = await Promise.all(Array.from({ length: 4 }, () => login(system, user, freshDevice('race'))));
      const ok = replies.filter((r) => r.status === 200).map((r) => r.body);
      expect(ok).toHaveLength(3);
      expect(replies.filter((r) => r.status === 409).map((r) => (r.body as ErrorReply).code)).toEqual(['headlesskey_device_limit']);
      expect(await live(ok)).toHaveLength(3);
      expect((await sessions(system, ok[0]!.token)).body.sessions).toHaveLength(3);
    });

    it('`evict_oldest`: N+1 parallel logins from distinct devices never leave more than N live', async () => {
      await deviceLimit(3, 'evict_oldest');
      for (let round = 0; round < 3; round++) {
        const user = await register(system);
        const replies = await Promise.all(Array.from({ length: 4 }, () => login(system, user, freshDevice('race'))));
        expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
        const tokens = replies.map((r) => r.body);
        const alive = await live(tokens);
        expect(alive).toHaveLength(3);
        const listed = (await sessions(system, alive[0]!.token)).body.sessions;
        expect(listed.map((s) => s.id).sort()).toEqual(alive.map((t) => claimsOf(t.token).sid).sort());
        const [dead] = tokens.filter((t) => !alive.includes(t));
        const evicted = await bus.waitForEvent('session.evicted', (e) => e.data.session_id === claimsOf(dead!.token).sid);
        expect(evicted.data).toMatchObject({ user_id: user.id, device: expect.stringMatching(/^race-/) });
        expect((await validate(system, dead!.token)).body).toMatchObject({ code: 'headlesskey_token_revoked', data: { valid: false } });
      }
    });

    it('`evict_oldest` ends the least recently used session, not the first created', async () => {
      await deviceLimit(2, 'evict_oldest');
      const user: User = await register(system);
      const a = await loggedIn(login(system, user, freshDevice('a')));
      const b = await loggedIn(login(system, user, freshDevice('b')));
      // Using `a` again makes `b` the least recently used.
      const a2 = (await refresh(system, a.token)).body;
      const c = await loggedIn(login(system, user, freshDevice('c')));
      expect((await live([a2, b, c])).map((t) => t.jti)).toEqual([a2.jti, c.jti]);
      await bus.waitForEvent('session.evicted', (e) => e.data.session_id === claimsOf(b.token).sid);
      // The evicted device's token can no longer be refreshed either.
      expect((await refresh(system, b.token)).body.code).toBe('headlesskey_token_revoked');
    });

    it('counts logins that name no device, one session each', async () => {
      await deviceLimit(2, 'reject');
      const user = await register(system);
      const agent = { 'user-agent': `Agent/${freshDevice()}` };
      const replies = [];
      for (let i = 0; i < 3; i++) replies.push(await login(system, user, undefined, agent));
      expect(replies.map((r) => r.status)).toEqual([200, 200, 409]);
      expect((await live(replies.slice(0, 2).map((r) => r.body))).length).toBe(2);
    });

    it('counts the limit per user', async () => {
      await deviceLimit(1, 'reject');
      const [u1, u2] = [await register(system), await register(system)];
      const one = await login(system, u1, freshDevice());
      const two = await login(system, u2, freshDevice());
      expect([one.status, two.status]).toEqual([200, 200]);
      expect((await login(system, u1, freshDevice())).status).toBe(409);
    });

    it('0 turns the limit off again', async () => {
      await bus.setSetting('device_limit', 0);
      const user = await register(system);
      await eventually(
        async () => {
          const replies = await Promise.all(Array.from({ length: 3 }, () => login(system, user, freshDevice())));
          return replies.every((r) => r.status === 200) ? true : undefined;
        },
        10_000,
        'device_limit 0',
      );
      const more = await Promise.all(Array.from({ length: 5 }, () => loggedIn(login(system, user, freshDevice()))));
      expect(await live(more)).toHaveLength(5);
    });
  });
});
