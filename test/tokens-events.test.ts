import type { EventEnvelope } from '@headlesskey/contracts';
import { describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import {
  type Bus,
  claimsOf,
  freshDevice,
  type Issued,
  loggedIn,
  login,
  register,
  revoke,
  signatureOf,
  withTokensSystem,
} from './support/tokens.js';
import { eventually } from './support/users.js';

const LOOPBACK = /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/;
const AGENT = 'EventsTest/1.0 (black box)';

/**
 * Every step of a token's life is an event on the bus, carrying who asked (IP, device) in its
 * metadata and never the token itself.
 */
describe('token events', () => {
  let system: TestSystem;
  let bus: Bus;
  /** Every token the system handed out or was shown in this file. */
  const tokens: string[] = [];

  withTokensSystem((started, opened) => {
    system = started;
    bus = opened;
  });

  const keep = (issued: Issued) => {
    tokens.push(issued.token);
    return issued;
  };
  /** The client sends its device on login only, as the plugin's frontends do; later calls carry just the token. */
  const signIn = async (user: Awaited<ReturnType<typeof register>>, device: string) =>
    keep(await loggedIn(login(system, user, device, { 'user-agent': AGENT })));
  const refreshed = async (token: string) => {
    const reply = await system.post<Issued>('/token/refresh', { token }, { 'user-agent': AGENT });
    if (reply.status === 200) keep(reply.body);
    return reply;
  };
  const ofSession = (type: string, token: string) => bus.waitForEvent(type, (e) => e.data.session_id === claimsOf(token).sid);

  function expectWho(event: EventEnvelope, device: string) {
    expect(event.meta.ip, event.type).toMatch(LOOPBACK);
    expect(event.meta.device, event.type).toBe(device);
  }

  it('token.issued: the session, its device and the refresh window, with IP and device', async () => {
    const user = await register(system);
    const device = freshDevice('phone');
    const t = await signIn(user, device);
    const event = await ofSession('token.issued', t.token);
    expect(event.data).toMatchObject({ user_id: user.id, jti: t.jti, device, expires_at: claimsOf(t.token).exp });
    expectWho(event, device);
    expect(event.meta.userAgent).toBe(AGENT);
  });

  it('token.refreshed: the new jti and its parent, with IP and the session’s device', async () => {
    const user = await register(system);
    const device = freshDevice('tablet');
    const t0 = await signIn(user, device);
    const t1 = (await refreshed(t0.token)).body;
    const event = await bus.waitForEvent('token.refreshed', (e) => e.data.jti === t1.jti);
    expect(event.data).toMatchObject({ user_id: user.id, session_id: claimsOf(t0.token).sid, parent_jti: t0.jti });
    expectWho(event, device);
  });

  it('token.revoked on logout: the session and the reason, with IP and device', async () => {
    const user = await register(system);
    const device = freshDevice('laptop');
    const t = await signIn(user, device);
    expect((await revoke(system, t.token)).status).toBe(200);
    const event = await ofSession('token.revoked', t.token);
    expect(event.data).toEqual({ user_id: user.id, session_id: claimsOf(t.token).sid, reason: 'logout' });
    expectWho(event, device);
  });

  it('token.reuse_detected and token.revoked (reuse) when a rotated token comes back', async () => {
    const user = await register(system);
    const device = freshDevice('stolen');
    const t0 = await signIn(user, device);
    const t1 = (await refreshed(t0.token)).body;
    await refreshed(t1.token);
    expect((await refreshed(t0.token)).status).toBe(401);
    const detected = await ofSession('token.reuse_detected', t0.token);
    expect(detected.data).toEqual({ user_id: user.id, session_id: claimsOf(t0.token).sid, presented_jti: t0.jti });
    expectWho(detected, device);
    const revoked = await bus.waitForEvent(
      'token.revoked',
      (e) => e.data.session_id === claimsOf(t0.token).sid && e.data.reason === 'reuse',
    );
    expectWho(revoked, device);
  });

  it('session.evicted names the evicted device; its metadata, the login that pushed it out', async () => {
    await bus.setSetting('device_policy', 'evict_oldest');
    await bus.setSetting('device_limit', 1);
    const user = await register(system);
    const first = await signIn(user, freshDevice('old'));
    const newcomer = freshDevice('new');
    // Until the limit is in force, each login is a fresh device that evicts nothing.
    const evicted = await eventually(async () => {
      await signIn(user, freshDevice('new'));
      return bus.events.find((e) => e.type === 'session.evicted' && e.data.session_id === claimsOf(first.token).sid);
    });
    expect(evicted.data).toMatchObject({ user_id: user.id, device: expect.stringMatching(/^old-/) });
    expect(evicted.meta.ip).toMatch(LOOPBACK);
    expect(evicted.meta.device).toMatch(/^new-/);
    // And once more, with a device of our choosing.
    const second = tokens.at(-1)!;
    await signIn(user, newcomer);
    const next = await ofSession('session.evicted', second);
    expectWho(next, newcomer);
    await bus.setSetting('device_limit', 0);
  });

  it('no event carries a token or a signature', async () => {
    // Every event of the steps above has arrived by now: the last was waited for.
    const types = new Set(bus.events.map((e) => e.type));
    for (const type of ['token.issued', 'token.refreshed', 'token.revoked', 'token.reuse_detected', 'session.evicted']) {
      expect(types, type).toContain(type);
    }
    expect(tokens.length).toBeGreaterThan(8);
    for (const raw of bus.raw) {
      for (const token of tokens) {
        expect(raw).not.toContain(token);
        expect(raw).not.toContain(signatureOf(token));
        expect(raw).not.toContain(token.split('.')[1]);
      }
    }
  });
});
