import { randomUUID } from 'node:crypto';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Bus, openBus } from './support/tokens.js';
import { eventually, newUser } from './support/users.js';

/**
 * A login whose caller will have stopped waiting before bcrypt could answer is refused at once,
 * before anything is counted or checked: under a burst, identity spends bcrypt only on callers
 * still there, and shed logins lock no one out.
 */
describe('password checks under overload', () => {
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

  /** `identity.login` as the gateway sends it, with the time its caller stops waiting. */
  async function loginCommand(user: { username: string; password: string }, deadline: number) {
    const hdrs = natsHeaders();
    hdrs.set('hk-deadline', String(deadline));
    const payload = { ...user, context: { ip: '198.51.100.7', userAgent: 'overload-test', requestId: randomUUID() } };
    const reply = await bus.nc.request(system.names.command('identity', 'login'), JSON.stringify(payload), {
      timeout: 5000,
      headers: hdrs,
    });
    return JSON.parse(new TextDecoder().decode(reply.data)) as { ok: boolean; error?: { code: string } };
  }

  it('refuses a login that could not end before its deadline, counting nothing', async () => {
    const user = newUser('shed');
    expect((await system.post('/register', user)).status).toBe(201);
    // Identity has now timed bcrypt at least once (the registration's hash).
    expect((await loginCommand(user, Date.now() + 5000)).ok).toBe(true);
    // Its event is published after the answer, from the outbox: count from after it arrives.
    await bus.waitForEvent('auth.login.succeeded');
    const before = bus.events.filter((e) => e.type.startsWith('auth.')).length;

    // More shed attempts than the account's limit (5), with the wrong password even.
    for (let i = 0; i < 7; i++) {
      const refused = await loginCommand({ ...user, password: 'not the password at all' }, Date.now() - 1);
      expect(refused).toMatchObject({ ok: false, error: { code: 'headlesskey_unavailable' } });
    }

    // Never checked, never counted: the right password still gets in, and the log holds only that.
    const after = await system.post<{ token?: string }>('/token', { username: user.username, password: user.password });
    expect(after.status).toBe(200);
    // Identity publishes in commit order: anything the shed attempts had written would come first.
    const auth = await eventually(async () => {
      const since = bus.events.filter((e) => e.type.startsWith('auth.')).slice(before);
      return since.length > 0 ? since : undefined;
    });
    expect(auth.map((e) => e.type)).toEqual(['auth.login.succeeded']);
  });
});
