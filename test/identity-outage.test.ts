import type { Subscription } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Bus, login, openBus, refresh, validate } from './support/tokens.js';
import { eventually, registerAndLogin } from './support/users.js';

/**
 * A right password met by an outage — the `login.allow` hook not answering while it fails
 * closed, or the tokens service gone — is no failed login: it answers 503 at once, records no
 * `auth.login.failed`, and brings the account no closer to a lockout (`max_attempts`, 5).
 */
describe('logins during an outage', () => {
  let system: TestSystem;
  let bus: Bus;

  beforeAll(async () => {
    system = await startTestSystem();
    bus = await openBus(system);
  });
  afterAll(async () => {
    await bus?.close();
    await system?.stop();
  });

  const failuresOf = (id: number) => bus.events.filter((e) => e.type === 'auth.login.failed' && e.data.user_id === id);
  const wrong = (user: { username: string }) => ({ username: user.username, password: 'wrong horse battery staple' });

  /** Two wrong passwords after the outage: with five counted before them, the account would be locked. */
  async function expectNoLockoutProgress(user: { id: number; username: string; password: string }) {
    for (let i = 0; i < 2; i++) expect((await login(system, wrong(user))).body.code).toBe('headlesskey_invalid_credentials');
    await bus.waitForEvent('auth.login.failed', (e) => e.data.user_id === user.id && e.data.reason === 'invalid_credentials');
    expect((await login(system, user)).status).toBe(200);
    // Every failed login recorded is one of the two wrong passwords.
    await eventually(async () => (failuresOf(user.id).length >= 2 ? true : undefined));
    expect(failuresOf(user.id).map((e) => e.data.reason)).toEqual(['invalid_credentials', 'invalid_credentials']);
  }

  it('a login.allow hook that fails closed and does not answer: 503, and nothing counted or recorded as failed', async () => {
    const user = await registerAndLogin(system, {}, 'outage');
    let sub: Subscription | undefined;
    try {
      sub = bus.nc.subscribe(system.names.hook('login.allow'), { callback: () => {} });
      await bus.nc.flush();
      await bus.setSetting('hooks', { 'login.allow': { timeout_ms: 200, fail: 'closed' } });
      await eventually(async () => ((await login(system, user)).status === 503 ? true : undefined));
      for (let i = 0; i < 5; i++) {
        const refused = await login(system, user);
        expect(refused.status).toBe(503);
        expect(refused.body).toMatchObject({ code: 'headlesskey_unavailable', data: { status: 503 } });
      }
    } finally {
      sub?.unsubscribe();
      await bus.setSetting('hooks', {});
    }
    await expectNoLockoutProgress(user);
  });

  it('the tokens service gone: logins, refreshes and validations answer 503 at once, and nothing is counted as failed', async () => {
    const user = await registerAndLogin(system, {}, 'notokens');
    await system.kill('tokens', 'SIGKILL');
    try {
      for (const ask of [() => login(system, user), () => refresh(system, user.token), () => validate(system, user.token)]) {
        for (let i = 0; i < 3; i++) {
          const started = Date.now();
          const reply = await ask();
          // NATS answers "no responders" at once: nobody waits out the command timeout (5 s).
          expect(Date.now() - started).toBeLessThan(2000);
          expect(reply.status).toBe(503);
          expect(reply.body).toMatchObject({ code: 'headlesskey_unavailable', data: { status: 503 } });
        }
      }
    } finally {
      await system.restart('tokens');
    }
    await expectNoLockoutProgress(user);
  });
});
