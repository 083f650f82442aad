import { randomUUID } from 'node:crypto';
import type { Msg, Subscription } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pids, replaced } from './support/replicas.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Bus, login, openBus, validate } from './support/tokens.js';
import { eventually, newUser } from './support/users.js';

const ALLOW = JSON.stringify({ allow: true });

/**
 * A login whose gateway is killed while it runs: the gateway had claimed its `Idempotency-Key`,
 * and a dead gateway never lets a claim go. The retry with the key through the gateway started in
 * its place must get the login's answer once it is there, not `409 in flight` until the claim is
 * old enough to be taken over.
 */
describe('a write in flight when its gateway is killed', () => {
  let system: TestSystem;
  let bus: Bus;
  let hook: Subscription | undefined;
  /** Messages of the `login.allow` hook held unanswered; while false, each is allowed at once. */
  const held: Msg[] = [];
  let holding = false;

  beforeAll(async () => {
    system = await startTestSystem();
    bus = await openBus(system);
    // The hook holds the login in identity, with the gateway waiting on it.
    hook = bus.nc.subscribe(system.names.hook('login.allow'), {
      callback: (_err, msg) => (holding ? held.push(msg) : msg.respond(ALLOW)),
    });
    await bus.nc.flush();
    await bus.setSetting('hooks', { 'login.allow': { timeout_ms: 4000, fail: 'closed' } });
  });
  afterAll(async () => {
    hook?.unsubscribe();
    await bus?.close();
    await system?.stop();
  });

  it('answers the retry with its key with the login, run once, as soon as a gateway serves again', async () => {
    const user = newUser('inflight');
    expect((await system.post('/register', user)).status).toBe(201);
    // Identity waits longer than the default second for the hook: a login held 1.5 s gets in.
    await eventually(async () => {
      holding = true;
      const answer = login(system, user);
      await eventually(async () => held.shift(), 5000, 'the hook to be asked').then((msg) => setTimeout(() => msg.respond(ALLOW), 1500));
      holding = false;
      return (await answer).status === 200 ? true : undefined;
    }, 20_000);
    // Its event leaves through the outbox after the answer.
    const loginsBefore = await eventually(async () => succeededLogins(user.username) || undefined);

    const key = randomUUID();
    holding = true;
    const first = login(system, user, undefined, { 'idempotency-key': key }).catch((err: Error) => err);
    const asked = await eventually(async () => held.shift(), 5000, 'the login to reach the hook');
    const victims = pids(system, 'gateway');
    for (const pid of victims) process.kill(pid, 'SIGKILL');
    expect(await first).toBeInstanceOf(Error);
    await replaced(system, 'gateway', victims, 1, 10_000, { ready: true });
    holding = false;
    asked.respond(ALLOW);

    const retry = await eventually(async () => {
      const answer = await login(system, user, undefined, { 'idempotency-key': key }).catch(() => undefined);
      return answer && answer.status !== 503 ? answer : undefined;
    }, 10_000);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect((await validate(system, retry.body.token)).status).toBe(200);

    // Ran once: one more login recorded, before the next one's (identity publishes in commit order).
    expect((await login(system, user)).status).toBe(200);
    await eventually(async () => (succeededLogins(user.username) >= loginsBefore + 2 ? true : undefined));
    expect(succeededLogins(user.username)).toBe(loginsBefore + 2);
  });

  const succeededLogins = (username: string) =>
    bus.events.filter((e) => e.type === 'auth.login.succeeded' && e.data.user_login === username).length;
});
